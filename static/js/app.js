// Small enhancements; every page works without them.
"use strict";

// Unit picker: typing filters the options of the select next to it.
document.addEventListener("input", (event) => {
  const input = event.target.closest("input[data-filter-for]");
  if (!input) return;
  const select = document.getElementById(input.dataset.filterFor);
  if (!select) return;
  const query = input.value.trim().toLowerCase();
  let first = null;
  for (const option of select.querySelectorAll("option")) {
    const hit = !query || (option.dataset.search || option.text).toLowerCase().includes(query);
    option.hidden = !hit;
    if (hit && !first) first = option;
  }
  // A multiple select (协办单位) keeps what was chosen: filtering only narrows the list.
  const current = select.selectedOptions[0];
  if (!select.multiple && query && first && (!current || current.hidden)) select.value = first.value;
  // Nothing shown, nothing chosen: a hidden unit is never sent (the form asks for one).
  if (!select.multiple && query && !first) select.selectedIndex = -1;
});

// Review queue: J/K to move, A to accept, R to return (then 1-6 picks the reason).
document.addEventListener("keydown", (event) => {
  if (!document.body.classList.contains("page-review")) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.matches("input, textarea, select")) {
    const select = event.target.matches("select") ? event.target : null;
    if (select && /^[1-6]$/.test(event.key)) {
      const options = [...select.options].filter((o) => o.value);
      const picked = options[Number(event.key) - 1];
      if (picked) { select.value = picked.value; event.preventDefault(); }
    }
    return;
  }
  const items = [...document.querySelectorAll(".review-item")];
  if (!items.length) return;
  const index = items.indexOf(document.activeElement.closest && document.activeElement.closest(".review-item"));
  const focus = (i) => items[Math.max(0, Math.min(items.length - 1, i))].focus();
  const key = event.key.toLowerCase();
  if (key === "j") { focus(index + 1); event.preventDefault(); }
  else if (key === "k") { focus(index - 1); event.preventDefault(); }
  else if (index >= 0 && key === "a") {
    // A finding's 复查合格 is its accept.
    const button = items[index].querySelector('form[data-event="accept"] button, form[data-event="pass_reinspection"] button');
    if (button) { button.click(); event.preventDefault(); }
  } else if (index >= 0 && key === "r") {
    const form = items[index].querySelector('form[data-event="return_reply"], form[data-event="fail_reinspection"]');
    if (form) {
      const details = form.querySelector("details");
      if (details) details.open = true;
      form.querySelector("select, input[type=checkbox], textarea").focus();
      event.preventDefault();
    }
  }
});

// Feedback speaks about the last action only: when another one starts, earlier messages go.
document.addEventListener("htmx:beforeRequest", (event) => {
  const verb = event.detail.requestConfig && event.detail.requestConfig.verb;
  if (verb === "get") return;  // suggestions and filters are not actions
  for (const old of document.querySelectorAll("main .flash")) old.remove();
});

// Plain forms that close or undo something (data-confirm holds the question) ask first;
// htmx forms ask through hx-confirm.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

// Bulk actions: "select all" ticks every box of its form; the summary says how many.
const boxesOf = (formId) => [...document.querySelectorAll(`input[type=checkbox][name=numbers][form="${formId}"]`)];
const showSelected = (formId) => {
  const count = boxesOf(formId).filter((b) => b.checked).length;
  for (const out of document.querySelectorAll(`[data-selected-count-for="${formId}"]`)) {
    out.textContent = count ? `已选 ${count} 件` : "";
  }
};
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-select-all]");
  if (all) {
    for (const box of boxesOf(all.dataset.selectAll)) box.checked = all.checked;
    showSelected(all.dataset.selectAll);
  } else if (event.target.matches("input[type=checkbox][name=numbers][form]")) {
    showSelected(event.target.getAttribute("form"));
  }
});

// After an item of a queue is handled, move on to the next one. Once settled: the new
// item has the id of the one it replaced, so htmx gives it the old one's classes until it
// settles (no "done" yet at afterSwap), and detail.target is the replaced, removed item.
document.addEventListener("htmx:afterSettle", (event) => {
  const done = event.target;
  if (!done || !done.classList || !done.classList.contains("done")) return;
  let next = done.nextElementSibling;
  while (next && !next.classList.contains("review-item")) next = next.nextElementSibling;
  if (next) next.focus();
});

// A form sent back with errors: start at its summary, which lists them and links to each
// field, rather than at the top of a page that on a phone puts it screens away.
const errorSummary = document.querySelector(".error-summary");
if (errorSummary) {
  if (!errorSummary.hasAttribute("tabindex")) errorSummary.tabIndex = -1;
  errorSummary.focus();
}

// Public form: a live count toward the limit of a textarea (data-counter names the
// element that shows it). Without JavaScript the hint still says the limit.
for (const area of document.querySelectorAll("textarea[data-counter]")) {
  const out = document.getElementById(area.dataset.counter);
  if (!out) continue;
  const max = Number(out.dataset.max || area.maxLength);
  const show = () => {
    const left = max - area.value.length;
    out.textContent = `已输入 ${area.value.length} 字，还可输入 ${left} 字`;
    out.classList.toggle("near", left <= 200);
  };
  out.hidden = false;
  area.addEventListener("input", show);
  show();
}

// Copy buttons (data-copy names the element whose text is copied): shown only when
// JavaScript runs, since without it they could do nothing.
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    const text = source.textContent.trim();
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (_) {
      // No clipboard API (older browser, or not HTTPS): select the text and copy that.
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      copied = document.execCommand && document.execCommand("copy");
    }
    if (status) status.textContent = copied ? "已复制，可以粘贴到备忘录或短信里保存。" : "请长按查询码手动复制。";
  });
}

// Printed sheets (办理单, 督办单): the 打印 button opens the browser's print dialog.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// 答复模板: picking one puts its text (placeholders already filled in) into the reply box;
// text already typed is replaced only after asking. The input event lets the draft save.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-template-for]");
  if (!select || !select.value) return;
  const box = document.getElementById(select.dataset.templateFor);
  const text = select.selectedOptions[0].dataset.text || "";
  if (box && (!box.value.trim() || window.confirm("用模板替换答复框中已有的内容吗？"))) {
    box.value = text;
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }
  select.value = "";
});

// Plain forms that close or delete something ask first (data-confirm on the button).
document.addEventListener("submit", (event) => {
  const button = event.submitter && event.submitter.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
});
