"""Reading protocol files: safe YAML with a line and column for every node.

Everything that can go wrong with the file itself (unreadable, not UTF-8, not YAML, empty,
duplicate keys, alias bombs, absurd size) becomes a finding with the LD family code; nothing
here raises on bad input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from benchsheet.findings import Finding, PathPart, Severity
from benchsheet.limits import DEFAULT_LIMITS, MIB, Limits, raise_hint

try:  # the C parser is several times faster; the pure-Python one behaves the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# The defaults (see benchsheet.limits): a protocol is a few kB; 5 MB is far past any real one.
MAX_FILE_BYTES = DEFAULT_LIMITS.file_size

Position = tuple[int, int]  # 1-based line, column
Place = tuple[int, int, int, int]  # a key's line and column, then its value's


@dataclass
class LoadedDocument:
    """A parsed protocol file: plain data plus where each node sits in the file."""

    path: str
    text: str
    data: Any
    # for every path: the line and column of its key, then of its value (an item of a list:
    # its own twice), in one tuple: a file of ten thousand materials holds 50,000 of them
    positions: dict[tuple[PathPart, ...], Place] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    nodes: int = 0  # YAML nodes (keys too), aliases expanded: what each variant's checks walk

    def position(self, path: tuple[PathPart, ...], *, key: bool = False) -> Position:
        """The closest known position to ``path`` (walking up to the nearest ancestor)."""
        for end in range(len(path), -1, -1):
            hit = self.positions.get(tuple(path[:end]))
            if hit is not None:
                return (hit[0], hit[1]) if key else (hit[2], hit[3])
        return (1, 1)


class _TooBigError(Exception):
    def __init__(self, mark: Any, message: str, code: str = "LD005",
                 hint: str = "write the protocol without aliases") -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message
        self.code = code
        self.hint = hint


def _check_shape(text: str, limits: Limits) -> None:
    """Walk the parser's events once, before any node is built, and stop at the first one
    past a limit: the node count, the nesting depth, or the length of one list or mapping.

    Composing builds a Python object per node, so a 5 MB file of one-character items (over a
    million nodes) would take seconds and hundreds of MB before the builder could count them;
    the events come from the C parser one at a time and are dropped as they are counted. The
    nodes that aliases add are counted by the builder, which sees them expanded.
    """
    nodes = 0
    open_: list[list[int]] = []  # per open collection: [is mapping, items so far]
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.CollectionEndEvent, yaml.StreamStartEvent,
                              yaml.StreamEndEvent, yaml.DocumentStartEvent,
                              yaml.DocumentEndEvent)):
            if isinstance(event, yaml.CollectionEndEvent):
                open_.pop()
            continue
        nodes += 1
        if len(open_) > limits.depth:  # inside more collections than the limit
            raise _TooBigError(event.start_mark, f"nested deeper than {limits.depth} "
                               "levels (a file that is not a protocol)",
                               hint=raise_hint("depth"))
        if nodes > limits.nodes:
            raise _TooBigError(event.start_mark, f"more than {limits.nodes} YAML nodes (a "
                               "file that is not a protocol, or a generated one)",
                               hint=raise_hint("nodes"))
        if open_:
            parent = open_[-1]
            parent[1] += 1
            items = parent[1] // 2 if parent[0] else parent[1]
            most = limits.mapping_keys if parent[0] else limits.list_items
            if items > most:
                what = "keys in one mapping" if parent[0] else "items in one list"
                key = "mapping-keys" if parent[0] else "list-items"
                raise _TooBigError(event.start_mark, f"more than {most} {what}", "LD011",
                                   "split the protocol, or " + raise_hint(key))
        if isinstance(event, yaml.CollectionStartEvent):
            open_.append([isinstance(event, yaml.MappingStartEvent), 0])


def _pos(mark: yaml.Mark) -> Position:
    return (mark.line + 1, mark.column + 1)


class _UnusualError(Exception):
    """The file holds what the one-pass reading leaves to the composer: an anchor or alias,
    an explicit tag, a key that is not plain text, a repeated key, a second document."""


_STR_TAG = "tag:yaml.org,2002:str"


def _read_plain(text: str, doc: LoadedDocument, limits: Limits) -> tuple[Any, Position]:
    """The data of ``text`` and the position of its top node, read from the parser's events
    in one pass: each node is counted, checked against the limits and built as it arrives,
    and its position recorded, with no node graph in between.

    This is what ``_check_shape``, ``yaml.compose`` and ``_Builder`` do together, for the
    files that need nothing more (every ordinary protocol); it gives the same data,
    positions, node count and, at the same event, the same limit finding or parser error.
    Anything it does not model raises ``_UnusualError`` before a finding is made, and the file
    is read again the long way. Raises ``_TooBigError`` and ``yaml.YAMLError`` as they do.

    Scalars are most of the events: they are looked at first, and the open collection's
    state (its container, kind, entries so far, path and the key waiting for its value) is
    held in local variables, saved on ``stack`` while a collection inside it is open.
    """
    loader = _Loader(text)
    # The resolvers by first character, read as ``resolve`` reads them: a plain scalar whose
    # first character has none, and every quoted one, is text. ``resolve`` itself is asked
    # only with wildcard or path resolvers, which the safe loader has none of.
    may_resolve: Any = loader.yaml_implicit_resolvers
    always_ask = None in may_resolve or bool(loader.yaml_path_resolvers)
    resolve: Any = loader.resolve
    construct = loader.construct_object
    get_event = loader.get_event
    positions = doc.positions
    # Each text read, by itself: the keys and the words a protocol repeats (``amount``,
    # ``ethanol``, ``mL``) are one object each, not one per place (less memory, and a key
    # found in a dict by identity, before its characters are compared).
    texts: dict[str, str] = {}
    scalar_event, mapping_start = yaml.ScalarEvent, yaml.MappingStartEvent
    sequence_start, str_tag = yaml.SequenceStartEvent, _STR_TAG
    ends = (yaml.SequenceEndEvent, yaml.MappingEndEvent, yaml.CollectionEndEvent)
    depth_limit, node_limit = limits.depth, limits.nodes
    key_limit, item_limit = limits.mapping_keys, limits.list_items
    # The open collection: its container, whether a mapping, its entries' nodes so far (a
    # mapping's keys too), its path, and its key waiting for a value (``waiting``).
    container: Any = None
    is_map = False
    count = 0
    base: tuple[PathPart, ...] = ()
    waiting = False
    key: Any = None
    key_line = key_column = 0
    stack: list[tuple[Any, bool, int, tuple[PathPart, ...]]] = []  # the enclosing ones
    depth = 0  # collections open
    nodes = 0
    documents = 0
    root: Any = None
    root_mark: Position = (1, 1)
    try:
        while True:
            event: Any = get_event()  # the typed stubs know no event fields
            kind = type(event)
            if kind is scalar_event:
                tag = event.tag
                if event.anchor is not None or (tag is not None and tag != "!"):
                    raise _UnusualError
            elif kind in ends:
                container, is_map, count, base = stack.pop()
                waiting = False  # the collection closed was the value of its key
                depth -= 1
                continue
            elif kind is mapping_start or kind is sequence_start:
                tag = event.tag
                if event.anchor is not None or (tag is not None and tag != "!"):
                    raise _UnusualError
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _UnusualError
                continue
            elif kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
                continue
            else:  # an alias, or an event the parser does not make
                raise _UnusualError
            nodes += 1
            mark = event.start_mark
            if depth > depth_limit:
                raise _TooBigError(mark, f"nested deeper than {depth_limit} levels (a file "
                                   "that is not a protocol)", hint=raise_hint("depth"))
            if nodes > node_limit:
                raise _TooBigError(mark, f"more than {node_limit} YAML nodes (a file that is "
                                   "not a protocol, or a generated one)",
                                   hint=raise_hint("nodes"))
            if kind is scalar_event:
                value: Any = event.value
                implicit = event.implicit
                if always_ask:
                    tag = resolve(yaml.ScalarNode, value, implicit)
                elif implicit[0] and (not value or value[0] in may_resolve):
                    tag = _resolved(value, may_resolve)
                else:
                    tag = str_tag
                if tag == str_tag:  # one object for each text, however often it is written
                    value = texts.setdefault(value, value)
                else:
                    if is_map and not waiting:
                        raise _UnusualError  # a key read as a number, a boolean, a merge
                    value = _constructed(construct, tag, value, mark, event)
            elif kind is mapping_start:
                value = {}
            else:
                value = []
            line, column = mark.line + 1, mark.column + 1
            if not depth:
                root, root_mark = value, (line, column)
                path: tuple[PathPart, ...] = ()
            else:
                count += 1
                if is_map:
                    if count // 2 > key_limit:
                        raise _TooBigError(mark, f"more than {key_limit} keys in one mapping",
                                           "LD011", "split the protocol, or "
                                           + raise_hint("mapping-keys"))
                    if not waiting:  # a key
                        if kind is not scalar_event or value in container:
                            raise _UnusualError
                        key, key_line, key_column, waiting = value, line, column, True
                        continue
                    waiting = False
                    path = (*base, key)
                    positions[path] = (key_line, key_column, line, column)
                    container[key] = value
                else:
                    if count > item_limit:
                        raise _TooBigError(mark, f"more than {item_limit} items in one list",
                                           "LD011", "split the protocol, or "
                                           + raise_hint("list-items"))
                    path = (*base, count - 1)  # the list's items so far, this one last
                    positions[path] = (line, column, line, column)
                    container.append(value)
            if kind is not scalar_event:
                stack.append((container, is_map, count, base))
                container, is_map, count, base = value, kind is mapping_start, 0, path
                depth += 1
    finally:
        loader.dispose()
    if not documents:
        raise _EmptyError
    doc.nodes = nodes
    return root, root_mark


def _resolved(value: str, resolvers: dict[Any, list[tuple[str, Any]]]) -> str:
    """The tag ``resolve`` gives a plain scalar ``value`` when the loader has neither
    wildcard nor path resolvers: the first of its first character's resolvers that matches
    it, else text."""
    for tag, regexp in resolvers.get(value[0] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR_TAG


def _constructed(construct: Any, tag: str, value: str, mark: Any, event: Any) -> Any:
    """The plain scalar ``value`` resolved as ``tag`` (a number, a boolean, null, a date)
    built as the safe loader builds it; a timestamp's shape but no real date: the text."""
    node = yaml.ScalarNode(tag, value, mark, event.end_mark, event.style)
    try:
        return construct(node, deep=True)
    except ValueError:  # a timestamp's shape but no real date: the text
        return str(value)
    except yaml.YAMLError:
        raise _UnusualError from None


class _EmptyError(Exception):
    """The stream holds no document (nothing, or only comments)."""


class _Builder:
    """Turns a composed node graph into plain data while recording positions."""

    def __init__(self, doc: LoadedDocument, limits: Limits) -> None:
        self.doc = doc
        self.count = 0
        self.limits = limits
        # One constructor for every scalar: the safe loader's resolver decides int/float/bool.
        self._constructor = _Loader("")

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except ValueError:
            # Resolved as a timestamp by its shape but no real date (CAS 7647-14-55 reads as
            # year 7647, month 14): keep the text, and let the model say what is wrong with it.
            return str(node.value)

    def build(self, node: yaml.Node, path: tuple[PathPart, ...], depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.nodes:
            raise _TooBigError(node.start_mark, f"more than {self.limits.nodes} nodes after "
                               "expanding aliases (an alias bomb, or a file that is not a "
                               "protocol)")
        if depth > self.limits.depth:
            raise _TooBigError(node.start_mark, f"nested deeper than {self.limits.depth} "
                               "levels (a recursive alias, or a file that is not a protocol)")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, child in enumerate(node.value):
                sub = (*path, index)
                self.doc.positions[sub] = (*_pos(child.start_mark), *_pos(child.start_mark))
                items.append(self.build(child, sub, depth + 1))
            return items
        return self.scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: tuple[PathPart, ...], depth: int) -> Any:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            self.count += 1  # the key is a node too, as the node limit counts them
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.doc.findings.append(self._finding(
                    key_node.start_mark, "LD009", "merge keys ('<<') are not supported",
                    "write the keys out; a protocol should read plainly", path))
                continue
            key = self.scalar(key_node)
            if not isinstance(key, str):
                scalar = isinstance(key_node, yaml.ScalarNode)
                kind = type(key).__name__
                # A list or mapping as a key: name its kind, not its node objects.
                message = (f"key {key_node.value!r} is read as {kind}, not text" if scalar
                           else f"a {kind} is used as a key; keys must be text")
                self.doc.findings.append(self._finding(
                    key_node.start_mark, "LD008", message,
                    f"quote it: '\"{key_node.value}\"'" if scalar else "use a plain name",
                    path))
                key = str(key_node.value) if scalar else f"<{kind} key>"
            sub = (*path, key)
            if key in out:
                first = self.doc.positions.get(sub, (0, 0, 0, 0))[:2]
                self.doc.findings.append(self._finding(
                    key_node.start_mark, "LD004",
                    f"duplicate key '{key}' (first at line {first[0]}); YAML would silently "
                    "keep only the last", "remove or rename one of them", sub))
                continue
            self.doc.positions[sub] = (*_pos(key_node.start_mark), *_pos(value_node.start_mark))
            out[key] = self.build(value_node, sub, depth + 1)
        return out

    def _finding(self, mark: yaml.Mark, code: str, message: str, hint: str,
                 path: tuple[PathPart, ...]) -> Finding:
        line, column = _pos(mark)
        return Finding(self.doc.path, line, column, code, Severity.ERROR, message, hint, path)


def _offset_position(data: bytes, offset: int) -> Position:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def load_text(text: str, path: str, limits: Limits = DEFAULT_LIMITS) -> LoadedDocument:
    """Parse YAML text; every problem is a finding on the returned document."""
    doc = LoadedDocument(path=path, text=text, data=None)

    def fail(code: str, line: int, col: int, message: str, hint: str) -> LoadedDocument:
        doc.findings.append(Finding(path, line, col, code, Severity.ERROR, message, hint))
        return doc

    if len(text) > limits.file_size:  # text that came from no file (an import, the API)
        return _too_large(path, len(text.encode("utf-8", "surrogatepass")), limits)
    try:
        doc.data, root_mark = _read_plain(text, doc, limits)
    except _UnusualError:  # read again the long way
        doc.positions.clear()
        doc.nodes = 0
    except _EmptyError:
        return fail("LD003", 1, 1, "the file is empty",
                    "a protocol needs at least id, title, version and steps")
    except (_TooBigError, yaml.YAMLError) as exc:
        doc.positions.clear()
        return _failed_reading(doc, exc)
    else:
        return _as_protocol_data(doc, root_mark)
    try:
        _check_shape(text, limits)
        node = yaml.compose(text, Loader=_Loader)
    except (_TooBigError, yaml.YAMLError) as exc:
        return _failed_reading(doc, exc)
    if node is None:
        return fail("LD003", 1, 1, "the file is empty",
                    "a protocol needs at least id, title, version and steps")
    builder = _Builder(doc, limits)
    try:
        doc.data = builder.build(node, (), 0)
        doc.nodes = builder.count
    except _TooBigError as exc:
        line, col = _pos(exc.mark) if exc.mark else (1, 1)
        doc.data = None
        return fail(exc.code, line, col, exc.message, exc.hint)
    except yaml.MarkedYAMLError as exc:  # a tag the safe loader will not construct
        doc.data = None
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        return fail("LD002", line, col, f"not valid YAML: {exc.problem or exc}",
                    "remove the tag; a protocol is plain YAML")
    except yaml.YAMLError as exc:
        doc.data = None
        return fail("LD002", 1, 1, f"not valid YAML: {exc}", "check the file is YAML")
    finally:
        builder._constructor.dispose()
    return _as_protocol_data(doc, _pos(node.start_mark))


def _failed_reading(doc: LoadedDocument, exc: Exception) -> LoadedDocument:
    """``doc`` with the finding for a limit passed or a parser error, before any data."""
    if isinstance(exc, _TooBigError):
        line, col = _pos(exc.mark) if exc.mark else (1, 1)
        code, message, hint = exc.code, exc.message, exc.hint
    elif isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        context = f" {exc.context}" if exc.context else ""
        code, message = "LD002", f"not valid YAML: {problem}{context}"
        hint = "check indentation, colons and quotes near this place"
    else:
        line, col = 1, 1
        code, message, hint = "LD002", f"not valid YAML: {exc}", "check the file is YAML"
    doc.data = None
    doc.findings.append(Finding(doc.path, line, col, code, Severity.ERROR, message, hint))
    return doc


def _as_protocol_data(doc: LoadedDocument, root: Position) -> LoadedDocument:
    """``doc`` as read, or LD007 when its top node is not a mapping."""
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"a {type(doc.data).__name__}"
        doc.data = None
        doc.findings.append(Finding(
            doc.path, root[0], root[1], "LD007", Severity.ERROR,
            f"the file holds {kind}, but a protocol is a mapping",
            "start the file with 'id:', 'title:' and the other protocol keys"))
    return doc


def display_path(file: Path) -> str:
    """``file`` as text that can be printed and written as UTF-8.

    A name that is not UTF-8 on disk (``\xff.yaml`` from a Latin-1 system) reaches Python
    with lone surrogates, which no sheet, report or archive can encode; its odd bytes are
    shown as ``\xff`` instead.
    """
    return os.fsencode(file).decode("utf-8", "backslashreplace")


def load_file(file: Path, display: str | None = None,
              limits: Limits = DEFAULT_LIMITS) -> LoadedDocument:
    """Read and parse one protocol file, never raising on what the file contains."""
    shown = display if display is not None else display_path(file)
    empty = LoadedDocument(path=shown, text="", data=None)

    def fail(code: str, line: int, col: int, message: str, hint: str) -> LoadedDocument:
        empty.findings.append(Finding(shown, line, col, code, Severity.ERROR, message, hint))
        return empty

    try:
        size = file.stat().st_size
        if size > limits.file_size:
            return _too_large(shown, size, limits)
        with file.open("rb") as stream:
            # The size it has, not the limit: a read of n bytes first takes n bytes of memory
            # (5 MiB a file by default, 100 MiB under a raised limit). A file that grew since
            # is read on, to no more than the limit.
            raw = stream.read(size + 1)
            if len(raw) > size:
                raw += stream.read(limits.file_size + 1 - len(raw))
    except OSError as exc:
        return fail("LD001", 1, 1, f"cannot read the file: {exc.strerror or exc}",
                    "check the path and its permissions")
    return load_bytes(raw, shown, limits)


def _too_large(shown: str, size: int, limits: Limits) -> LoadedDocument:
    doc = LoadedDocument(path=shown, text="", data=None)
    most = limits.file_size / MIB
    doc.findings.append(Finding(
        shown, 1, 1, "LD006", Severity.ERROR, f"the file is {size / MIB:.1f} MiB; a protocol is "
        f"at most {most:g} MiB (file-size-mb)",
        "is this the right file? split data out of the protocol, or "
        + raise_hint("file-size-mb")))
    return doc


def load_bytes(raw: bytes, shown: str, limits: Limits = DEFAULT_LIMITS) -> LoadedDocument:
    """Decode and parse a protocol's bytes (a file's, or standard input's) named ``shown``."""
    if len(raw) > limits.file_size:
        return _too_large(shown, len(raw), limits)
    empty = LoadedDocument(path=shown, text="", data=None)

    def fail(code: str, line: int, col: int, message: str, hint: str) -> LoadedDocument:
        empty.findings.append(Finding(shown, line, col, code, Severity.ERROR, message, hint))
        return empty

    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = _offset_position(raw, exc.start)
        return fail("LD010", line, col, f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be "
                    "decoded", "save the file as UTF-8")
    if "\x00" in text:
        line, col = _offset_position(raw, raw.index(b"\x00"))
        return fail("LD010", line, col, "the file holds NUL bytes: it is binary, not YAML",
                    "point benchsheet at the protocol's .yaml file")
    return load_text(text, shown, limits)
