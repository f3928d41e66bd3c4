"""Helm's ``--set`` / ``--set-string`` / ``--set-json`` syntax, parsed like Helm does.

Behaviour learnt from Helm's strvals parser (our own implementation): comma-separated
``key=value`` assignments, dotted keys, ``[i]`` list indexes (lists grow with nulls),
``{a,b}`` lists, ``\\`` escapes any character, and typed values (``true``/``false``/``null``
case-insensitively, base-10 integers without a leading zero) unless ``--set-string``.
"""
from __future__ import annotations

import json
import re
from typing import Any

MAX_INDEX = 65536
MAX_NESTING = 30
_INDEX = re.compile(r"[+-]?[0-9]+")


class SetSyntaxError(ValueError):
    """A --set argument Helm would refuse; the message says why.

    The message never quotes the argument: a --set holds the chart's values, passwords among them,
    and a key vnp cannot parse may be the tail of a value (``db.password=p4ss,w0rd``).  ``key`` is the
    key path the error is at (for the caller to show when it is vnp's own) and ``pos`` the character
    of the argument the parser had reached (1-based)."""

    def __init__(self, message: str, key: list | None = None):
        super().__init__(message)
        self.key = key
        self.pos: int | None = None


def typed_value(text: str, as_string: bool) -> Any:
    """Helm's type inference for unquoted --set values."""
    if as_string:
        return text
    low = text.lower()
    if low == "true":
        return True
    if low == "false":
        return False
    if low == "null":
        return None
    if text == "0":
        return 0
    if text and text[0] != "0":
        body = text[1:] if text[0] in "+-" else text
        if body.isdigit() and body.isascii():
            number = int(text)
            if -(2**63) <= number < 2**63:
                return number
    return text


class _Parser:
    def __init__(self, text: str, dest: dict, mode: str):
        self.text = text
        self.pos = 0
        self.dest = dest
        self.mode = mode  # "set" | "string" | "json"
        self.assigned: list[list] = []  # full key paths of each assignment, for origins

    # -- scanning ---------------------------------------------------------
    def _until(self, stops: str) -> tuple[str, str | None]:
        """Read up to a stop character (consumed, returned) or the end (None)."""
        buf = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            if ch in stops:
                return "".join(buf), ch
            if ch == "\\":
                if self.pos >= len(self.text):
                    return "".join(buf), None
                buf.append(self.text[self.pos])
                self.pos += 1
                continue
            buf.append(ch)
        return "".join(buf), None

    def parse(self) -> None:
        while self.pos < len(self.text):
            self._key(self.dest, [], 0)

    # -- values -----------------------------------------------------------
    def _value(self) -> Any:
        if self.mode == "json":
            return self._json_value()
        if self.pos < len(self.text) and self.text[self.pos] == "{":
            self.pos += 1
            return self._list_value()
        raw, _ = self._until(",")
        return typed_value(raw, self.mode == "string")

    def _list_value(self) -> list:
        items = []
        while True:
            raw, stop = self._until(",}")
            if stop is None:
                raise SetSyntaxError("list must terminate with '}'")
            items.append(typed_value(raw, self.mode == "string"))
            if stop == "}":
                if self.pos < len(self.text) and self.text[self.pos] == ",":
                    self.pos += 1
                return items

    def _skip_blank_and_comma(self) -> bool:
        """True when the value is empty (only blanks up to a comma or the end)."""
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == ",":
                self.pos += 1
                return True
            if not ch.isspace():
                return False
            self.pos += 1
        return True

    def _json_value(self) -> Any:
        if self._skip_blank_and_comma():
            return None
        try:
            value, end = json.JSONDecoder().raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            raise SetSyntaxError(f"invalid JSON value at character {exc.pos + 1}: {exc.msg}") from None
        self.pos = end
        self._skip_blank_and_comma()
        return value

    # -- keys -------------------------------------------------------------
    def _key(self, data: dict, prefix: list, depth: int) -> None:
        key, stop = self._until("=[,.")
        if stop is None:
            if key:
                raise SetSyntaxError("a key has no value", prefix + [key])
            return
        if stop == ",":
            raise SetSyntaxError("a key has no value (cannot end with ,)", prefix + [key])
        if stop == "=":
            value = self._value()
            if key:
                data[key] = value
                self.assigned.append(prefix + [key])
            return
        if stop == ".":
            if depth + 1 > MAX_NESTING:
                raise SetSyntaxError(f"key nesting is deeper than {MAX_NESTING} levels")
            inner = data.get(key, {}) if key in data else {}
            if not isinstance(inner, dict):
                raise SetSyntaxError(f"cannot set a key below one that already holds a {_kind(inner)}, not a map",
                                     prefix + [key])
            self._key(inner, prefix + [key], depth + 1)
            if not inner:
                raise SetSyntaxError("a key map has no value", prefix + [key])
            if key:
                data[key] = inner
            return
        # stop == "[": list index
        existing = data.get(key, [])
        if not isinstance(existing, list):
            raise SetSyntaxError(f"cannot index a key that already holds a {_kind(existing)}, not a list",
                                 prefix + [key])
        lst = self._list_item(list(existing), prefix + [key], depth)
        if key:
            data[key] = lst

    def _index(self, prefix: list) -> int:
        raw, stop = self._until("]")
        if stop is None:
            raise SetSyntaxError("list index is missing its closing ']'", prefix)
        if not _INDEX.fullmatch(raw):
            raise SetSyntaxError("a list index is not a number", prefix)
        index = int(raw)
        if index < 0:
            raise SetSyntaxError(f"negative {index} index not allowed")
        if index > MAX_INDEX:
            raise SetSyntaxError(f"index of {index} is greater than maximum supported index of {MAX_INDEX}")
        return index

    def _list_item(self, lst: list, prefix: list, depth: int) -> list:
        index = self._index(prefix)
        path = prefix + [index]
        rest, stop = self._until("[.=")
        if rest:
            raise SetSyntaxError("unexpected data after a list index", path)
        if stop is None:
            raise SetSyntaxError("a list item has no value", path)
        if len(lst) <= index:
            lst.extend([None] * (index + 1 - len(lst)))
        if stop == "=":
            lst[index] = self._value()
            self.assigned.append(path)
        elif stop == "[":
            current = lst[index] if lst[index] is not None else []
            if not isinstance(current, list):
                raise SetSyntaxError(f"cannot index a list item that holds a {_kind(current)}, not a list", path)
            lst[index] = self._list_item(list(current), path, depth)
        else:  # "."
            current = lst[index]
            inner = current if isinstance(current, dict) else {}
            self._key(inner, path, depth + 1)
            lst[index] = inner
        return lst


def parse_into(text: str, dest: dict, mode: str = "set") -> list[list]:
    """Apply one --set (mode "set"), --set-string ("string") or --set-json ("json") argument
    to ``dest`` in place, like Helm; return the key paths it assigned. Raises SetSyntaxError."""
    if mode == "json" and text.strip().startswith("{"):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SetSyntaxError(f"invalid JSON object: {exc.msg} at character {exc.pos + 1}") from None
        if not isinstance(obj, dict):
            raise SetSyntaxError("expected a JSON object")
        from helm_vnp.config.merge import merge_maps

        merged = merge_maps(dest, obj)
        dest.clear()
        dest.update(merged)
        return [[k] for k in obj]
    parser = _Parser(text, dest, mode)
    try:
        parser.parse()
    except SetSyntaxError as exc:
        exc.pos = min(parser.pos, len(text)) or 1
        raise
    return parser.assigned


def _kind(value: Any) -> str:
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "list", dict: "map",
            type(None): "null"}.get(type(value), type(value).__name__)
