"""Rule docs (docstrings, reStructuredText-flavoured) as Markdown, for docs/rules/ and SARIF help."""
from __future__ import annotations

import re

_LITERAL = re.compile(r"``(.+?)``", re.S)


def doc_markdown(doc: str) -> str:
    """``code`` -> `code`; a paragraph ending in ``::`` introduces an indented block -> fenced code."""
    out: list[str] = []
    lines = doc.strip("\n").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and not line.strip().startswith("`"):
            text = line.rstrip()[:-2].rstrip()
            out.append(_LITERAL.sub(r"`\1`", text + ":" if text else ""))
            i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith((" ", "\t"))):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            indent = min((len(b) - len(b.lstrip()) for b in block if b.strip()), default=0)
            out += ["", "```yaml", *[b[indent:] for b in block], "```", ""]
            continue
        out.append(_LITERAL.sub(r"`\1`", line))
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def first_paragraph(doc: str) -> str:
    para = doc.strip().split("\n\n", 1)[0]
    return " ".join(_LITERAL.sub(r"\1", para).split())
