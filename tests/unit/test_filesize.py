import pytest

from casework.web.present import filesize


@pytest.mark.parametrize("size, shown", [(0, "0 B"), (37, "37 B"), (1023, "1023 B"), (1024, "1 KB"),
                                         (12_300, "12 KB"), (1_258_291, "1.2 MB"), (None, "—")])
def test_sizes_read_as_people_read_them(size, shown):
    assert filesize(size) == shown
