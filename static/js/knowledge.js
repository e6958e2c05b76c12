// Knowledge base: "复制到答复" puts a suggested answer into the reply textarea (and the
// draft autosave picks it up); without this script the button posts a form instead.
"use strict";

if (!window.casework_kb_copy) {
  window.casework_kb_copy = true;
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-kb-copy]");
    if (!button) return;
    const textarea = document.querySelector(
      'form[data-event="reply"] textarea[name="body"], form[data-event="submit_reply"] textarea[name="body"]');
    if (!textarea) return; // no reply form on this page: let the form post do it
    event.preventDefault();
    const text = button.dataset.kbCopy;
    const current = textarea.value.trimEnd();
    textarea.value = current ? `${current}\n\n${text}` : text;
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    textarea.focus();
    textarea.scrollIntoView({ block: "center" });
    button.textContent = "已复制到答复";
  });
}
