"""Model objects to plain JSON values and back, driven by the dataclasses' own type hints.

The JSON report is the model written out, so one generic walk serves every dataclass: nested dataclasses become
objects, tuples become arrays, and words still waiting for a language (:class:`~apkscan.model.text.Message`,
:class:`~apkscan.model.text.Text`) are written twice — as the sentence in the report's language under the field's own
name (what schema ``apkscan.report/1`` always had) and in language-neutral form under ``<field>_i18n`` (added in
0.2), so a report can be read back and written again in another language without rescanning.

Reading back is the mirror image and accepts reports written before ``_i18n`` fields existed: their sentences come
back as language-neutral strings.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from apkscan.model.text import Message, Text

I18N = "_i18n"

#: Writes words in the report's language; the JSON renderer passes the real one (render.i18n.say).
Say = Callable[[Any], str]


def is_words(value: Any) -> bool:
    """Does this value (or any item of it) still wait for a language?"""
    if isinstance(value, (Message, Text)):
        return True
    return isinstance(value, tuple) and any(is_words(v) for v in value)


def words_to_plain(value: Any) -> Any:
    """The language-neutral JSON form of a message, text, or tuple of them."""
    if isinstance(value, Message):
        return {"key": value.key, "params": {k: words_to_plain(v) for k, v in value.params.items()}}
    if isinstance(value, Text):
        return {"en": value.en, "zh": value.zh}
    if isinstance(value, tuple):
        return [words_to_plain(v) for v in value]
    return value


def words_from_plain(value: Any) -> Any:
    """Inverse of :func:`words_to_plain` (objects with ``key`` are messages, with ``en`` are texts)."""
    if isinstance(value, Mapping):
        if "key" in value:
            params = value.get("params") or {}
            return Message(str(value["key"]), {str(k): words_from_plain(v) for k, v in params.items()})
        return Text(str(value.get("en", "")), str(value.get("zh", "")))
    if isinstance(value, list):
        return tuple(words_from_plain(v) for v in value)
    return value


def to_plain(obj: Any, say: Say) -> Any:
    """Write a model object as JSON values; words are written with ``say`` and kept neutral under ``_i18n``."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if is_words(value) or _words_field(type(obj), f.name):
                out[f.name] = _said(value, say)
                if value is not None and value != ():
                    out[f.name + I18N] = words_to_plain(value)
            else:
                out[f.name] = to_plain(value, say)
        return out
    if isinstance(obj, Mapping):
        return {str(k): to_plain(v, say) for k, v in obj.items()}
    if isinstance(obj, (tuple, list)):
        return [to_plain(v, say) for v in obj]
    return obj


def _said(value: Any, say: Say) -> Any:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return [say(v) for v in value]
    return say(value)


def from_plain(cls: type, data: Any) -> Any:
    """Build ``cls`` (a model dataclass) from JSON values written by :func:`to_plain`, ignoring unknown keys."""
    return _decode(cls, data)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


@cache
def _words_field(cls: type, name: str) -> bool:
    """Is the field declared to hold words (Message, Text, Words, or tuples of them)?"""
    hint = _hints(cls).get(name)
    return hint is not None and _holds_words(hint)


def _holds_words(hint: Any) -> bool:
    if hint in (Message, Text):
        return True
    return any(_holds_words(a) for a in get_args(hint) if a is not Ellipsis)


def _decode(hint: Any, data: Any) -> Any:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(hint) if a is not type(None)]
        if data is None:
            return None
        if len(options) == 1:
            return _decode(options[0], data)
        return _decode_words(data) if _holds_words(hint) else data
    if hint in (Message, Text):
        return _decode_words(data)
    if origin is tuple:
        args = get_args(hint)
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in (data or []))
    if origin in (dict, Mapping, typing.Mapping):
        _, item = get_args(hint) or (str, Any)
        return {str(k): _decode(item, v) for k, v in (data or {}).items()}
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _decode_dataclass(hint, data)
    return data


def _decode_words(data: Any) -> Any:
    return words_from_plain(data)


def _decode_dataclass(cls: type, data: Any) -> Any:
    data = data if isinstance(data, Mapping) else {}
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if f.name + I18N in data:
            kwargs[f.name] = words_from_plain(data[f.name + I18N])
        elif f.name in data:
            value = data[f.name]
            if _words_field(cls, f.name) and isinstance(value, (str, list)):
                kwargs[f.name] = _legacy_words(hints[f.name], value)
            else:
                kwargs[f.name] = _decode(hints[f.name], value)
    return cls(**kwargs)


def _legacy_words(hint: Any, value: Any) -> Any:
    """Words from a report written before ``_i18n`` fields: keep the sentences as they were written."""
    args = get_args(hint)
    if isinstance(value, list):
        item = args[0] if get_origin(hint) is tuple and args else hint
        return tuple(_legacy_words(item, v) for v in value)
    if value == "" and type(None) in args:
        return None
    accepts_str = hint is str or str in args
    return value if accepts_str else Text(str(value))
