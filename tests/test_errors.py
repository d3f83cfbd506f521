"""A user-facing error is one line, even when the input itself holds line breaks."""
import pytest

from cxtoolkit.errors import InputError
from cxtoolkit.io import load_table


def test_header_with_a_quoted_line_break_gives_a_one_line_error(tmp_path):
    # found by the loader fuzzing: a quoted header cell spanning two lines
    p = tmp_path / "contacts.csv"
    p.write_bytes(b'\rcontact_id\r"a\nb"')
    with pytest.raises(InputError) as e:
        load_table(p, "contacts")
    msg = str(e.value)
    assert "\n" not in msg and "\r" not in msg
    assert str(p) in msg and "missing required column" in msg and "a\\nb" in msg


def test_message_is_stripped():
    assert str(InputError("  x.csv: empty file\n")) == "x.csv: empty file"
