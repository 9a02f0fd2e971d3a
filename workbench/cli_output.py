"""Everything the command line prints goes through here, with control characters escaped.

Titles, names, sheet and file names come from files someone else wrote. Sent
to a terminal raw, ``ESC]0;...BEL`` retitles the window, ``ESC[2J`` clears
it, a newline forges a line of output (a fake ``error:``) and a right-to-left
override reorders what is read. So every line is printed with C0 and C1
control characters, DEL and the Unicode bidirectional controls written as
``\\x1b`` / ``\\u202e`` escapes; JSON output escapes the same characters the
JSON way, so it stays valid JSON that means the same.
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

#: C0 controls, DEL, C1 controls, line/paragraph separators and the bidi controls.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every character that could act on a terminal escaped."""
    return _UNSAFE.sub(_escaped, text)


def say(text: object = "", file: TextIO | None = None) -> None:
    """Print one line, escaped: a newline inside it is shown as ``\\x0a``, never obeyed."""
    print(terminal_safe(str(text)), file=sys.stdout if file is None else file)


def say_lines(text: str) -> None:
    """Print a block of text we laid out line by line, each line escaped."""
    for line in text.split("\n"):
        say(line)


def say_json(data: Any) -> None:
    """Print ``data`` as indented JSON; characters that act on a terminal come as \\u escapes."""
    import json  # here: ``workbench --version`` and plain output need no JSON

    # json.dumps already escapes C0 controls; the newlines left are its own layout.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    print(_UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text))
