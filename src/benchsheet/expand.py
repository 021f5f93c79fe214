"""Variant expansion: one parametrised protocol becomes concrete protocols.

Strings may hold ``${expression}`` over the protocol's parameters and tables; a string that is
exactly one expression takes the expression's value (a number stays a number). Expressions are
parsed with ``ast`` and evaluated from a closed table of node types, so a protocol file can
compute ``${1.5 * (1 - x)}`` but never call arbitrary code.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from benchsheet.findings import PathPart
from benchsheet.limits import DEFAULT_LIMITS, Limits, raise_hint

_TEMPLATE = re.compile(r"\$\{([^}]*)\}")

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow, ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_FUNCTIONS: dict[str, Callable[..., Any]] = {"round": round, "min": min, "max": max, "abs": abs}


class ExpressionError(ValueError):
    """An expression that cannot be evaluated; the message says why, ``code`` is its rule
    (VA001, or VA005 for one past the size limits)."""

    def __init__(self, message: str, code: str = "VA001") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Scope:
    parameters: Mapping[str, Any]
    tables: Mapping[str, Mapping[str, Any]]
    limits: Limits = DEFAULT_LIMITS


def evaluate(source: str, scope: Scope) -> Any:
    """Evaluate one ``${...}`` body against the parameters and tables.

    Its cost is bounded before it runs: at most ``expression_chars`` characters and
    ``expression_nodes`` operations and operands (VA005), and no operation whose result could
    be far larger than its operands (large powers, repeated strings)."""
    tree = _parsed(source, scope.limits.expression_chars, scope.limits.expression_nodes)
    try:
        return _eval(tree, scope, source)
    except ExpressionError:
        raise
    except RecursionError:
        raise ExpressionError(f"'{source[:40]}...' is nested too deeply") from None
    except (TypeError, ValueError, OverflowError, ZeroDivisionError) as exc:
        # An operation on values of the wrong kind: min(), -'abc', 1 < 'a', round(nan).
        raise ExpressionError(f"'{source}': {exc}") from None


@functools.lru_cache(maxsize=4096)
def _parsed(source: str, most_chars: int, most_nodes: int) -> ast.expr:
    """The syntax tree of one expression, within the size limits (VA005). Kept: every
    variant of a file evaluates the same expressions, and parsing them is most of the cost.
    The trees are only read, never changed."""
    if len(source) > most_chars:
        raise ExpressionError(f"'{source[:40]}...' is {len(source)} characters long; an "
                              f"expression is at most {most_chars} (expression-chars)", "VA005")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"'{source}' is not a valid expression: {exc.msg}") from None
    except (MemoryError, RecursionError):  # the parser's stack, on thousands of nested levels
        raise ExpressionError(f"'{source[:40]}...' is nested too deeply") from None
    size = sum(1 for node in ast.walk(tree.body) if isinstance(node, ast.expr))
    if size > most_nodes:
        raise ExpressionError(f"'{source[:40]}...' has {size} operations and operands; an "
                              f"expression has at most {most_nodes} (expression-nodes)", "VA005")
    return tree.body


def _eval(node: ast.AST, scope: Scope, source: str) -> Any:
    if isinstance(node, ast.Constant) and (
        node.value is None or isinstance(node.value, (int, float, str, bool))
    ):
        return node.value  # None switches an optional field off in a variant
    if isinstance(node, ast.Name):
        if node.id in scope.parameters:
            return scope.parameters[node.id]
        if node.id in scope.tables:
            return scope.tables[node.id]
        known = ", ".join(sorted(scope.parameters)) or "none"
        raise ExpressionError(f"'{node.id}' is not a parameter (parameters: {known})")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _eval(node.left, scope, source), _eval(node.right, scope, source)
        if isinstance(node.op, ast.Pow) and isinstance(right, (int, float)) and abs(right) > 64:
            raise ExpressionError(f"'{source}': exponent too large")
        if (isinstance(node.op, ast.Pow) and isinstance(left, int) and isinstance(right, int)
                and left.bit_length() * abs(right) > 4096):
            # (10**64)**64 nested a few times is a number of gigabytes: refuse, never compute.
            raise ExpressionError(f"'{source}': result too large")
        if isinstance(node.op, ast.Mult) and (isinstance(left, (str, list))
                                              or isinstance(right, (str, list))):
            # 'x' * 10**9 would build a gigabyte string from a one-line protocol.
            raise ExpressionError(f"'{source}': only numbers can be multiplied")
        if isinstance(node.op, ast.Mod) and isinstance(left, str):
            # '%0999999999d' % 1 is printf formatting, and another gigabyte string.
            raise ExpressionError(f"'{source}': only numbers can be taken modulo")
        try:
            return _BINARY[type(node.op)](left, right)
        except (TypeError, ZeroDivisionError, OverflowError) as exc:
            raise ExpressionError(f"'{source}': {exc}") from None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd, ast.Not)):
        value = _eval(node.operand, scope, source)
        if isinstance(node.op, ast.Not):
            return not value
        return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, ast.BoolOp):
        # Python's semantics: the deciding operand itself ("${nuc or None}" gives nuc or None).
        result: Any = None
        for operand in node.values:
            result = _eval(operand, scope, source)
            if bool(result) != isinstance(node.op, ast.And):
                return result
        return result
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        left = _eval(node.left, scope, source)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _eval(comparator, scope, source)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        test = _eval(node.test, scope, source)
        return _eval(node.body if test else node.orelse, scope, source)
    if isinstance(node, ast.Subscript):
        table = _eval(node.value, scope, source)
        key = _eval(node.slice, scope, source)
        if not isinstance(table, Mapping):
            raise ExpressionError(f"'{source}': only tables can be indexed")
        if str(key) not in table:
            raise ExpressionError(f"'{source}': the table has no entry '{key}'")
        return table[str(key)]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _FUNCTIONS and not node.keywords):
        args = [_eval(a, scope, source) for a in node.args]
        return _FUNCTIONS[node.func.id](*args)
    if isinstance(node, (ast.Tuple, ast.List)):
        return [_eval(e, scope, source) for e in node.elts]
    raise ExpressionError(
        f"'{source}': only arithmetic, comparisons, 'if/else', table lookups and "
        "round/min/max/abs are allowed in a protocol expression"
    )


def format_value(value: Any) -> str:
    """A number as a protocol would write it: no float noise (0.1 + 0.2 → 0.3)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = f"{value:.10g}"
        return text if "e" not in text else repr(value)
    return str(value)


@dataclass(frozen=True)
class ExpansionProblem:
    path: tuple[PathPart, ...]
    message: str
    code: str = "VA001"


class Templates:
    """Where a document's ``${...}`` templates sit, worked out once per document: the ids of
    the mappings and lists that hold one somewhere inside (``ids``), and a plan of each such
    part that lists only its templated entries. ``substitute`` passes every other part on as
    it is, the same object in every variant, so a variant that differs in a few values is not
    copied whole, and the model can take the base's checked parts
    (``model.parse.parse_protocol``); ``expand`` follows the plan, so each variant visits the
    templates and the containers above them, not every value of the file.

    A templated part is also made once per file for each setting of the parameters its
    templates name (``_made``): its expansion reads the document's part, the values of those
    parameters and the document's tables, nothing else, so a variant that gives them the
    values an earlier variant gave gets the earlier variant's part, the very object (and the
    model takes the model made of it, ``model.parse.PartModels``)."""

    __slots__ = ("_made", "_names", "_plans", "ids", "root", "shares")

    def __init__(self, data: Any, shares: bool = True) -> None:
        # The document the plan is of: held, so the ids in the plan and in ``_made``'s keys
        # stay its parts' ids; ``expand`` shares parts only for this very document, and only
        # if ``shares`` (False for a document of one variant: nothing to share with).
        self.root = data
        self.shares = shares
        # (id of a templated part, the expression limits, its parameters' values) -> the part
        # expanded.
        self._made: dict[tuple[Any, ...], Any] = {}
        # id of a templated part -> the names its templates read, None if one cannot be read.
        self._names: dict[int, tuple[str, ...] | None] = {}
        self.ids: frozenset[int] = frozenset()
        found: set[int] = set()
        # id of a templated mapping or list -> its templated entries (key or index), or None
        # when the mapping's keys are templates or not all text (``substitute`` rebuilds it).
        self._plans: dict[int, tuple[PathPart, ...] | None] = {}
        _walk(data, self._plans, found)
        self.ids = frozenset(found)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self.ids

    def apply(self, data: Any, scope: Scope, path: tuple[PathPart, ...],
              problems: list[ExpansionProblem], *, share: bool = False) -> Any:
        """``substitute(data, ...)`` for a part of the document this plan was made from;
        with ``share`` (``data`` is part of ``root`` and ``scope``'s tables are ``root``'s),
        the part an earlier call made with the same values is given again (``_made``)."""
        if isinstance(data, str):
            return _fill(data, scope, path, problems) if "${" in data else data
        if not isinstance(data, (dict, list)) or id(data) not in self.ids:
            return data
        key = self._key(data, scope) if share else None
        if key is not None:
            made = self._made.get(key)
            if made is not None:
                return made
        before = len(problems)
        out = self._expanded(data, scope, path, problems, share)
        if key is not None and len(problems) == before:  # a part with a problem: made anew
            self._made[key] = out
        return out

    def _expanded(self, data: Any, scope: Scope, path: tuple[PathPart, ...],
                  problems: list[ExpansionProblem], share: bool) -> Any:
        plan = self._plans[id(data)]
        if plan is None:  # a key is a template, or not text: rebuilt key by key
            return substitute(data, scope, path, problems, self.ids)
        out: Any = data.copy()
        whole: Any = data  # a mapping by key, or a list by index, as the plan was made
        for where in plan:
            value = whole[where]
            out[where] = _fill(value, scope, (*path, where), problems) if isinstance(
                value, str) else self.apply(value, scope, (*path, where), problems,
                                            share=share)
        return out

    def _key(self, data: Any, scope: Scope) -> tuple[Any, ...] | None:
        """What the expansion of the templated part ``data`` depends on besides the
        document: the expression limits (an expression past them is a problem) and, for each
        name its templates read, the parameter's value, type for type (``${x * 2}`` is 2 for
        1 and 2.0 for 1.0), or that there is no such parameter (a table's name, or an
        unknown one). None when a value is of no type known to compare safely, or a template
        cannot be read: such a part is always made anew."""
        limits = scope.limits
        names = self._names.get(id(data), _UNSEEN)
        if names is _UNSEEN:
            names = self._names[id(data)] = self._names_in(data, limits)
        if names is None:
            return None
        key: list[Any] = [id(data), limits.expression_chars, limits.expression_nodes]
        parameters = scope.parameters
        for name in names:
            if name not in parameters:
                key.append(_ABSENT)
                continue
            value = parameters[name]
            kind = type(value)
            if kind is float:  # 0.0 and -0.0 are equal, yet print apart
                key.append((kind, value, math.copysign(1.0, value)))
            elif kind in _KEYED:
                key.append((kind, value))
            else:
                return None
        return tuple(key)

    def _names_in(self, data: Any, limits: Limits) -> tuple[str, ...] | None:
        """Every name in the templates of the templated part ``data`` (its keys' too)."""
        found: set[str] = set()
        plan = self._plans[id(data)]
        whole: Any = data
        entries = [whole[where] for where in plan] if plan is not None else [
            *(k for k in data if isinstance(k, str)), *data.values()]
        for value in entries:
            if isinstance(value, str):
                for match in _TEMPLATE.finditer(value):
                    names = _names(match.group(1), limits.expression_chars,
                                   limits.expression_nodes)
                    if names is None:
                        return None
                    found.update(names)
            elif isinstance(value, (dict, list)) and id(value) in self.ids:
                inner = self._names.get(id(value), _UNSEEN)
                if inner is _UNSEEN:
                    inner = self._names[id(value)] = self._names_in(value, limits)
                if inner is None:
                    return None
                found.update(inner)
        return tuple(sorted(found))


def _walk(node: Any, plans: dict[int, tuple[PathPart, ...] | None], found: set[int]) -> bool:
    """Whether ``node`` holds a template somewhere; the ids of the mappings and lists that
    do go into ``found``, and their plans into ``plans`` (``Templates``). A function of the
    module, not a closure that calls itself: such a closure is a reference cycle, which
    would keep the plan and every part it made alive until the cycle collector runs."""
    if isinstance(node, str):
        return "${" in node
    if isinstance(node, dict):
        inside: list[PathPart] = []
        whole = False
        for key, value in node.items():
            if _walk(value, plans, found):
                inside.append(key)
            if not isinstance(key, str) or "${" in key:
                whole = True
        if not inside and not (whole and any(
                isinstance(k, str) and "${" in k for k in node)):
            return False
        plans[id(node)] = None if whole else tuple(inside)
    elif isinstance(node, list):
        items: list[PathPart] = [i for i, item in enumerate(node)
                                 if _walk(item, plans, found)]
        if not items:
            return False
        plans[id(node)] = tuple(items)
    else:
        return False
    found.add(id(node))
    return True


@functools.lru_cache(maxsize=4096)
def _names(source: str, most_chars: int, most_nodes: int) -> frozenset[str] | None:
    """Every name one expression reads (``_eval`` looks each up among the parameters, then
    the tables), or None when it cannot be parsed within the limits."""
    try:
        tree = _parsed(source, most_chars, most_nodes)
    except ExpressionError:
        return None
    found: set[str] = set()
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name):
            found.add(node.id)
        todo.extend(ast.iter_child_nodes(node))
    return frozenset(found)


# A name no parameter has, in ``Templates._key``; a part's names not yet worked out.
_ABSENT = object()
_UNSEEN: Any = object()
# Parameter values whose equality is sameness for an expression (bool apart from int by type).
_KEYED = frozenset({str, int, bool, type(None)})


def templated(data: Any, shares: bool = True) -> Templates:
    """The ``Templates`` of a document: where its ``${...}`` are, found once; ``shares``:
    whether its variants' equal parts are made once (``Templates``)."""
    return Templates(data, shares)


def _plain(value: Any, template_ids: Templates | frozenset[int] | None) -> bool:
    """Whether ``value`` holds no template, so ``substitute`` would give it back as it is
    (asked before the call: most values of a templated step are plain)."""
    if isinstance(value, str):
        return "${" not in value
    if isinstance(value, (dict, list)):
        return template_ids is not None and id(value) not in template_ids
    return True


def substitute(data: Any, scope: Scope, path: tuple[PathPart, ...] = (),
               problems: list[ExpansionProblem] | None = None,
               template_ids: Templates | frozenset[int] | None = None) -> Any:
    """Return ``data`` with every ``${...}`` replaced; problems are collected, not raised.

    With ``template_ids`` (``templated(data)`` of the document), a mapping or list that holds
    no template is returned as it is, not copied.
    """
    problems = problems if problems is not None else []
    if template_ids is not None and isinstance(data, (dict, list)) and (
            id(data) not in template_ids):
        return data
    if isinstance(data, dict):
        out: dict[Any, Any] = {}
        for k, v in data.items():
            # A key may be a template too (cations: {"${host}": 1}); positions stay on the
            # key as written, so findings point at it.
            key = substitute(k, scope, (*path, k), problems) if isinstance(k, str) and (
                "${" in k) else k
            out[key if isinstance(key, str) else str(key)] = v if _plain(v, template_ids) \
                else substitute(v, scope, (*path, k), problems, template_ids)
        return out
    if isinstance(data, list):
        return [v if _plain(v, template_ids) else substitute(v, scope, (*path, i), problems,
                                                              template_ids)
                for i, v in enumerate(data)]
    if not isinstance(data, str) or "${" not in data:
        return data
    return _fill(data, scope, path, problems)


def _fill(text: str, scope: Scope, path: tuple[PathPart, ...],
          problems: list[ExpansionProblem]) -> Any:
    """One string with its templates evaluated: a string that is exactly one template takes
    the value itself (a number stays a number), others the values' text."""
    whole = _TEMPLATE.fullmatch(text.strip())
    try:
        if whole:
            return evaluate(whole.group(1), scope)
        return _TEMPLATE.sub(lambda m: format_value(evaluate(m.group(1), scope)), text)
    except ExpressionError as exc:
        problems.append(ExpansionProblem(path, str(exc), exc.code))
        return text


@dataclass(frozen=True)
class VariantSpec:
    """One concrete choice of parameter values."""

    name: str  # "" for the base protocol (all defaults)
    values: Mapping[str, Any]
    path: tuple[PathPart, ...]  # where the variant is declared, for findings


def _name(settings: Mapping[str, Any]) -> str:
    return ",".join(f"{k}={format_value(v)}" for k, v in settings.items())


def _matrix_values(value: Any) -> int:
    return len(value) if isinstance(value, list) else 1


def variant_count(data: Mapping[str, Any]) -> int:
    """How many concrete variants ``variant_specs`` yields (the base included), worked out
    from the matrices' lengths without expanding them: a matrix of ten lists of ten values is
    10^10 variants, counted in microseconds."""
    count = 1
    variants = data.get("variants") or []
    if not isinstance(variants, list):
        return count
    for variant in variants:
        if not isinstance(variant, dict):
            continue
        fixed, matrix = variant.get("set") or {}, variant.get("matrix") or {}
        if not isinstance(fixed, dict) or not isinstance(matrix, dict):
            continue
        combos = 1
        for value in matrix.values():
            combos *= _matrix_values(value)
        count += combos
    return count


def too_many_variants(data: Mapping[str, Any], limits: Limits, nodes: int = 0) -> str | None:
    """What is wrong when ``data`` expands to more variants than ``limits`` allow, or to more
    nodes in all (``nodes`` per variant: every check, sheet and export walks each), else
    None."""
    count = variant_count(data)
    shown = f"{count}" if count < 10**12 else f"about 10^{len(str(count)) - 1}"
    if count > limits.variants:
        return (f"the variants and matrices expand to {shown} concrete variants (the base "
                f"included); a file has at most {limits.variants} (variants)")
    if count * nodes > limits.expanded_nodes:
        return (f"its {shown} variants of {nodes} YAML nodes each are {count * nodes} nodes to "
                f"check, render and export; a file's variants hold at most "
                f"{limits.expanded_nodes} (expanded-nodes)")
    return None


TOO_MANY_VARIANTS_HINT = ("split the series over several files, or take fewer values per "
                          "matrix parameter; or " + raise_hint("variants") + " (or "
                          "expanded-nodes, as the message names)")


def variant_specs(data: Mapping[str, Any]) -> Iterator[VariantSpec]:
    """The base protocol, then each declared variant (matrices expanded in order)."""
    parameters = data.get("parameters")
    if not isinstance(parameters, dict):
        parameters = {}  # a wrong type is reported by the model (SC), not here
    defaults = {
        name: spec.get("default") for name, spec in parameters.items()
        if isinstance(spec, dict)
    }
    yield VariantSpec("", defaults, ("parameters",))
    variants = data.get("variants") or []
    if not isinstance(variants, list):
        return
    for index, variant in enumerate(variants):
        if not isinstance(variant, dict):
            continue
        fixed = variant.get("set") or {}
        matrix = variant.get("matrix") or {}
        if not isinstance(fixed, dict) or not isinstance(matrix, dict):
            continue
        keys = list(matrix)
        combos = itertools.product(*(matrix[k] if isinstance(matrix[k], list) else [matrix[k]]
                                     for k in keys)) if keys else [()]
        for combo in combos:
            settings = {**fixed, **dict(zip(keys, combo, strict=True))}
            base = variant.get("name")
            if base and keys:
                name = f"{base}[{_name(dict(zip(keys, combo, strict=True)))}]"
            else:
                name = base or _name(settings)
            yield VariantSpec(str(name), {**defaults, **settings}, ("variants", index))


def expand(data: Mapping[str, Any], spec: VariantSpec, limits: Limits = DEFAULT_LIMITS,
           template_ids: Templates | None = None) -> tuple[Any, list[ExpansionProblem]]:
    """The protocol data with ``spec``'s parameter values substituted; with ``template_ids``
    (``templated(data)``) the parts without a template are shared, not copied, and only the
    templates are visited."""
    raw_tables = data.get("tables")
    tables = ({k: v for k, v in raw_tables.items() if isinstance(v, dict)}
              if isinstance(raw_tables, dict) else {})
    scope = Scope(parameters=spec.values, tables=tables, limits=limits)
    problems: list[ExpansionProblem] = []
    # Parameters, tables and variants describe the series; they are not substituted.
    keep = {"parameters", "tables", "variants"}
    if template_ids is not None:
        # Only for the plan's own document: the tables are then the plan's document's.
        share = template_ids.shares and data is template_ids.root
        out = {k: (v if k in keep else template_ids.apply(v, scope, (k,), problems,
                                                          share=share))
               for k, v in data.items()}
    else:
        out = {k: (v if k in keep else substitute(v, scope, (k,), problems))
               for k, v in data.items()}
    return out, problems
