"""A `$filter` AST, type-checked against an entity set's model, compiled once into a closure.

Semantics are those of ASP.NET OData's LINQ translated to SQL Server by EF Core, which keeps C#
null semantics:

- `X eq null` is true iff X is null; `eq`/`ne` treat null as a value (`X ne 'a'` is true when X
  is null); `lt`/`le`/`gt`/`ge` with a null operand are false, so `not (X gt 1)` is true then.
- Strings compare case-insensitively, ignoring trailing spaces; enums by declaration order
  (`values.py`). Enum constants are quoted member names, matched case-sensitively.
- A Boolean is null only when it comes from a nullable Boolean property
  (`MaintenanceWindow/enabled`) or from `contains`/`startswith`/`endswith` of null. Such a null is
  "unknown": `not` keeps it unknown, `and`/`or` use three-valued logic, and a record is kept only
  when the whole filter is true.
- Members of a null complex value (`UpdatePolicy/Type` when `UpdatePolicy` is null) are null; a
  null collection is empty (`any` is false, `all` is true). Inside a lambda, bare property names
  refer to the record (`$it`), as in ODL.
"""

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from odata_query import ast

from uipath_emulator.mock_server.orchestrator.odata.errors import ODataQueryError, invalid
from uipath_emulator.mock_server.orchestrator.odata.functions import (
    FUNCTIONS,
    no_signature,
    unknown_function,
)
from uipath_emulator.mock_server.orchestrator.odata.model import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    DOUBLE,
    GUID,
    INT32,
    INT64,
    STRING,
    EdmType,
    Kind,
    not_found,
    resolve_member,
    resolve_name,
)
from uipath_emulator.mock_server.orchestrator.odata.values import datetime_key, key_for

OPTION = "$filter"
Predicate = Callable[[Mapping[str, Any]], bool]
Getter = Callable[[Any], Any]

_INT32_RANGE = range(-(2**31), 2**31)
_INT64_RANGE = range(-(2**63), 2**63)
_DECIMAL_MAX = 2**96 - 1
"""The largest .NET `decimal` (79,228,162,514,264,337,593,543,950,335: 29 digits)."""
_DECIMAL_DIGITS = 29
_DOUBLE_MAX = Decimal("1.7976931348623157e308")
_OTHER_LITERALS: dict[type[ast._Node], str] = {
    ast.Date: "Edm.Date",
    ast.Time: "Edm.TimeOfDay",
    ast.Duration: "Edm.Duration",
    ast.Geography: "Edm.Geography",
}
_OPERATOR_KINDS: dict[type[ast._Node], str] = {
    ast.Eq: "Equal",
    ast.NotEq: "NotEqual",
    ast.Lt: "LessThan",
    ast.LtE: "LessThanOrEqual",
    ast.Gt: "GreaterThan",
    ast.GtE: "GreaterThanOrEqual",
    ast.In: "In",
    ast.And: "And",
    ast.Or: "Or",
}
_RELATIONS: dict[type[ast._Node], Callable[[Any, Any], bool]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITHMETIC = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Mod: "mod"}


@dataclass(frozen=True)
class _Operand:
    """A compiled subexpression: its type (None for the `null` literal) and how to evaluate it."""

    type: EdmType | None
    get: Getter
    constant: bool = False
    value: Any = None
    path: str | None = None
    field: str | None = None
    """The top-level property read directly from the record, when that is all `get` does."""
    maybe_null: bool = True


@dataclass(frozen=True)
class _Scope:
    """What names mean where an expression is compiled: the entity type, and range variables.

    Outside a lambda a record is evaluated directly; inside, the frame is a tuple of the
    record and each lambda's current item, a variable naming its position in that tuple.
    """

    root: EdmType
    variables: dict[str, tuple[int, EdmType]]

    def __bool__(self) -> bool:
        return bool(self.variables)

    def __contains__(self, name: str) -> bool:
        return name in self.variables

    def __getitem__(self, name: str) -> tuple[int, EdmType]:
        return self.variables[name]

    def with_variable(self, name: str, edm_type: EdmType) -> "_Scope":
        return _Scope(self.root, {**self.variables, name: (len(self.variables) + 1, edm_type)})


def compile_filter(tree: ast._Node, root: EdmType) -> Predicate:
    """A predicate over records of type `root` that is true exactly when the filter keeps one."""
    operand = _compile(tree, _Scope(root, {}))
    if operand.type is not BOOLEAN:
        raise invalid("The $filter expression must evaluate to a single boolean value.", OPTION)
    if operand.constant:
        keep = operand.value is True
        return lambda _record: keep
    get = operand.get
    if operand.maybe_null:
        return lambda record: get(record) is True
    return get


def _constant(edm_type: EdmType | None, value: Any) -> _Operand:
    return _Operand(edm_type, lambda _frame: value, constant=True, value=value, maybe_null=False)


def _compile(node: ast._Node, scope: _Scope) -> _Operand:
    if isinstance(node, ast._Literal):
        return _literal(node)
    if isinstance(node, ast.Identifier):
        return _identifier(node, scope)
    if isinstance(node, ast.Attribute):
        return _member(_compile(node.owner, scope), node.attr)
    if isinstance(node, ast.Compare):
        if isinstance(node.comparator, ast.In):
            return _in(node, scope)
        return _comparison(node.comparator, _compile(node.left, scope), _compile(node.right, scope))
    if isinstance(node, ast.BoolOp):
        return _bool_op(node.op, _compile(node.left, scope), _compile(node.right, scope))
    if isinstance(node, ast.UnaryOp):
        return _unary(node, scope)
    if isinstance(node, ast.Call):
        return _call(node, scope)
    if isinstance(node, ast.CollectionLambda):
        return _lambda(node, scope)
    if isinstance(node, ast.BinOp):
        raise invalid(
            f"Arithmetic operator '{_ARITHMETIC.get(type(node.op), '?')}' is not supported by "
            "the emulator.",
            OPTION,
        )
    raise invalid(f"The expression '{type(node).__name__}' is not supported in $filter.", OPTION)


def _literal(node: ast._Literal) -> _Operand:
    if isinstance(node, ast.List):
        raise invalid("A parenthesized list is only allowed on the right of 'in'.", OPTION)
    if isinstance(node, ast.Null):
        return _constant(None, None)
    if isinstance(node, ast.Boolean):
        return _constant(BOOLEAN, node.val == "true")
    if isinstance(node, ast.Integer):
        digits = node.val.lstrip("+-").lstrip("0")
        if len(digits) > _DECIMAL_DIGITS:  # never handed to int(), which refuses 4,300 digits
            raise _out_of_range(node.val, "Edm.Decimal")
        number = int(node.val)
        if number in _INT32_RANGE:
            return _constant(INT32, number)
        if number in _INT64_RANGE:
            return _constant(INT64, number)
        if abs(number) > _DECIMAL_MAX:
            raise _out_of_range(node.val, "Edm.Decimal")
        return _constant(DECIMAL, number)
    if isinstance(node, ast.Float):
        is_double = "e" in node.val.lower()
        value = Decimal(node.val)
        # copy_abs, not abs(): abs() rounds to the context's 28 digits, and decimal.MaxValue has 29
        if not value.is_finite() or value.copy_abs() > (_DOUBLE_MAX if is_double else _DECIMAL_MAX):
            raise _out_of_range(node.val, "Edm.Double" if is_double else "Edm.Decimal")
        return _constant(DOUBLE if is_double else DECIMAL, value)
    if isinstance(node, ast.String):
        return _constant(STRING, node.val)
    if isinstance(node, ast.GUID):
        return _constant(GUID, node.val.lower())
    if isinstance(node, ast.DateTime):
        try:
            return _constant(DATETIME, datetime_key(node.val))
        except ValueError:
            raise invalid(
                f"The date-time literal '{node.val}' is not a valid Edm.DateTimeOffset.", OPTION
            ) from None
    name = _OTHER_LITERALS.get(type(node), type(node).__name__)
    return _constant(EdmType(Kind.OTHER, name), getattr(node, "val", None))


def _out_of_range(literal: str, edm_type: str) -> ODataQueryError:
    shown = literal if len(literal) <= 40 else f"{literal[:40]}... ({len(literal)} characters)"
    return invalid(f"The literal '{shown}' is out of the range of {edm_type}.", OPTION)


def _identifier(node: ast.Identifier, scope: _Scope) -> _Operand:
    name = node.full_name()
    if name in scope:
        position, edm_type = scope[name]
        return _Operand(edm_type, operator.itemgetter(position), path=name)
    root = scope.root
    declared = resolve_name(root, name, OPTION)
    edm_type = root.properties[declared]
    if scope:
        return _Operand(edm_type, lambda frame: frame[0].get(declared), path=declared)
    return _Operand(edm_type, lambda record: record.get(declared), path=declared, field=declared)


def _member(owner: _Operand, name: str) -> _Operand:
    if owner.type is None or owner.type.kind not in (Kind.COMPLEX, Kind.COLLECTION):
        raise not_found(name, owner.type or EdmType(Kind.OTHER, "null"), OPTION)
    declared, edm_type = resolve_member(owner.type, name, OPTION)
    get = owner.get

    def member(frame: Any) -> Any:
        value = get(frame)
        return None if value is None else value.get(declared)

    return _Operand(edm_type, member, path=f"{owner.path}/{declared}")


def _type_name(operand: _Operand) -> str:
    return "null" if operand.type is None else operand.type.name


def _properties(*operands: _Operand) -> str:
    paths = [f"'{operand.path}'" for operand in operands if operand.path]
    return f" Property: {', '.join(paths)}." if paths else ""


def _incompatible(left: _Operand, right: _Operand, kind: str) -> ODataQueryError:
    return invalid(
        "A binary operator with incompatible types was detected. Found operand types "
        f"'{_type_name(left)}' and '{_type_name(right)}' for operator kind '{kind}'."
        + _properties(left, right),
        OPTION,
    )


def _enum_constant(enum_type: EdmType, constant: _Operand) -> _Operand:
    """A quoted (or, as ODL reports it, numeric) constant compared with an enum property."""
    if constant.type is None:
        return constant
    if constant.type.kind is Kind.ENUM and constant.type == enum_type:
        return constant
    if constant.type.kind in (Kind.STRING, Kind.NUMBER) and constant.value in enum_type.members:
        return _constant(enum_type, constant.value)
    if constant.type.kind in (Kind.STRING, Kind.NUMBER):
        raise invalid(
            f"The string '{constant.value}' is not a valid enumeration type constant. "
            f"Members of '{enum_type.name}': {', '.join(enum_type.members)}.",
            OPTION,
        )
    return constant


def _unify(left: _Operand, right: _Operand, kind: str) -> tuple[_Operand, _Operand, EdmType | None]:
    """The operands, enum constants converted, and their common type; None if both are null."""
    for operand in (left, right):
        if operand.type is not None and operand.type.kind is Kind.COLLECTION:
            raise invalid(
                f"The operand for a binary operator '{kind}' is not a single value. Binary "
                "operators require both operands to be single values." + _properties(operand),
                OPTION,
            )
    if left.type is not None and left.type.kind is Kind.ENUM and right.constant:
        right = _enum_constant(left.type, right)
    if right.type is not None and right.type.kind is Kind.ENUM and left.constant:
        left = _enum_constant(right.type, left)
    if left.type is None or right.type is None:
        common = left.type or right.type
        if common is not None and common.kind is Kind.COMPLEX and kind not in ("Equal", "NotEqual"):
            raise _incompatible(left, right, kind)
        return left, right, common
    same_kind = left.type.kind is right.type.kind
    compatible = same_kind and (left.type.kind is not Kind.ENUM or left.type == right.type)
    if not compatible or left.type.kind in (Kind.COMPLEX, Kind.OTHER):
        raise _incompatible(left, right, kind)
    return left, right, left.type


def _comparison(comparator: ast._Node, left: _Operand, right: _Operand) -> _Operand:
    kind = _OPERATOR_KINDS[type(comparator)]
    left, right, common = _unify(left, right, kind)
    relation = _RELATIONS.get(type(comparator))
    key = key_for(common) if common is not None and common.is_primitive else _same
    if relation is None:
        test = _equality(left, right, key)
        if isinstance(comparator, ast.NotEq):
            test = _negate_strict(test)
    else:
        test = _relation(left, right, key, relation)
    if left.constant and right.constant:
        return _constant(BOOLEAN, test(None))
    return _Operand(BOOLEAN, test, maybe_null=False)


def _same(value: Any) -> Any:
    return value


def _negate_strict(test: Getter) -> Getter:
    return lambda frame: not test(frame)


def _equality(left: _Operand, right: _Operand, key: Callable[[Any], Any]) -> Getter:
    if left.constant and not right.constant:
        left, right = right, left
    get = left.get
    if right.constant:
        if right.value is None:
            return lambda frame: get(frame) is None
        target = key(right.value)
        if left.field is not None:
            name = left.field
            return lambda record: (v := record.get(name)) is not None and key(v) == target
        return lambda frame: (v := get(frame)) is not None and key(v) == target
    other = right.get

    def equal(frame: Any) -> bool:
        a = get(frame)
        b = other(frame)
        if a is None or b is None:
            return a is None and b is None
        return bool(key(a) == key(b))

    return equal


def _relation(
    left: _Operand,
    right: _Operand,
    key: Callable[[Any], Any],
    relation: Callable[[Any, Any], bool],
) -> Getter:
    get, other = left.get, right.get
    if right.constant:
        if right.value is None:
            return lambda _frame: False
        target = key(right.value)
        return lambda frame: (v := get(frame)) is not None and relation(key(v), target)

    def compare(frame: Any) -> bool:
        a = get(frame)
        b = other(frame)
        return a is not None and b is not None and relation(key(a), key(b))

    return compare


def _in(node: ast.Compare, scope: _Scope) -> _Operand:
    left = _compile(node.left, scope)
    if not isinstance(node.right, ast.List):
        raise invalid("The right operand of 'in' must be a parenthesized list.", OPTION)
    items: list[_Operand] = []
    common: EdmType | None = left.type
    for item_node in node.right.val:
        item = _compile(item_node, scope)
        if not item.constant:
            raise invalid(
                "The 'in' operator takes a list of literal values." + _properties(item), OPTION
            )
        _, item, item_type = _unify(left, item, "In")
        if item_type is not None and not item_type.is_primitive:
            raise _incompatible(left, item, "In")
        common = common or item_type
        items.append(item)
    key = key_for(common) if common is not None else _same
    has_null = any(item.value is None for item in items)
    keys = {key(item.value) for item in items if item.value is not None}
    get = left.get

    def contained(frame: Any) -> bool:
        value = get(frame)
        return has_null if value is None else key(value) in keys

    if left.constant:
        return _constant(BOOLEAN, contained(None))
    return _Operand(BOOLEAN, contained, maybe_null=False)


def _boolean(operand: _Operand, kind: str, other: _Operand) -> None:
    if operand.type is not BOOLEAN:
        raise _incompatible(operand, other, kind)


def _bool_op(op: ast._Node, left: _Operand, right: _Operand) -> _Operand:
    kind = _OPERATOR_KINDS[type(op)]
    _boolean(left, kind, right)
    _boolean(right, kind, left)
    first, second = left.get, right.get
    maybe_null = left.maybe_null or right.maybe_null
    conjunction = isinstance(op, ast.And)
    if maybe_null:
        test = _kleene_and(first, second) if conjunction else _kleene_or(first, second)
    elif conjunction:

        def test(frame: Any) -> bool:
            return bool(first(frame) and second(frame))

    else:

        def test(frame: Any) -> bool:
            return bool(first(frame) or second(frame))

    if left.constant and right.constant:
        return _constant(BOOLEAN, test(None))
    return _Operand(BOOLEAN, test, maybe_null=maybe_null)


def _kleene_and(first: Getter, second: Getter) -> Getter:
    def both(frame: Any) -> bool | None:
        a = first(frame)
        if a is False:
            return False
        b = second(frame)
        if b is False:
            return False
        return None if a is None or b is None else True

    return both


def _kleene_or(first: Getter, second: Getter) -> Getter:
    def either(frame: Any) -> bool | None:
        a = first(frame)
        if a is True:
            return True
        b = second(frame)
        if b is True:
            return True
        return None if a is None or b is None else False

    return either


def _unary(node: ast.UnaryOp, scope: _Scope) -> _Operand:
    operand = _compile(node.operand, scope)
    if isinstance(node.op, ast.USub):
        if operand.constant and operand.type is not None and operand.type.kind is Kind.NUMBER:
            return replace(operand, get=lambda _frame: -operand.value, value=-operand.value)
        raise invalid("Arithmetic operator 'negate' is not supported by the emulator.", OPTION)
    if operand.type is not BOOLEAN:
        raise invalid(
            "A unary operator with an incompatible type was detected. Found operand type "
            f"'{_type_name(operand)}' for operator kind 'Not'." + _properties(operand),
            OPTION,
        )
    get = operand.get
    if operand.constant:
        return _constant(BOOLEAN, None if operand.value is None else not operand.value)
    if operand.maybe_null:
        return _Operand(
            BOOLEAN, lambda frame: None if (v := get(frame)) is None else not v, maybe_null=True
        )
    return _Operand(BOOLEAN, lambda frame: not get(frame), maybe_null=False)


def _accepts(parameter: EdmType, argument: _Operand) -> bool:
    if argument.type is None:
        return True
    if parameter is STRING:
        return argument.type.kind is Kind.STRING
    return parameter is INT32 and argument.type == INT32


def _call(node: ast.Call, scope: _Scope) -> _Operand:
    written = node.func.full_name()
    name = written.lower()  # built-in function names are case-insensitive in ODL
    function = FUNCTIONS.get(name)
    if function is None:
        raise unknown_function(written)
    arguments = [_compile(argument, scope) for argument in node.args]
    if not any(
        len(parameters) == len(arguments) and all(map(_accepts, parameters, arguments))
        for parameters in function.signatures
    ):
        found = ", ".join(
            f"'{argument.path}' ({_type_name(argument)})" if argument.path else _type_name(argument)
            for argument in arguments
        )
        raise no_signature(name, f" Found arguments: {found}.")
    getters = [argument.get for argument in arguments]
    apply = function.apply
    if function.nulls_in:

        def call(frame: Any) -> Any:
            return apply(*[get(frame) for get in getters])

    elif len(getters) == 1:
        (only,) = getters

        def call(frame: Any) -> Any:
            value = only(frame)
            return None if value is None else apply(value)

    elif len(getters) == 2:
        first, second = getters

        def call(frame: Any) -> Any:
            a = first(frame)
            b = second(frame)
            return None if a is None or b is None else apply(a, b)

    else:

        def call(frame: Any) -> Any:
            values = [get(frame) for get in getters]
            return None if None in values else apply(*values)

    return _Operand(function.result, call, maybe_null=True)


def _lambda(node: ast.CollectionLambda, scope: _Scope) -> _Operand:
    owner = _compile(node.owner, scope)
    if owner.type is None or owner.type.kind is not Kind.COLLECTION or owner.type.item is None:
        raise invalid(
            "The parent value for the Any/All query must be a collection." + _properties(owner),
            OPTION,
        )
    items = owner.get
    if node.lambda_ is None:
        return _Operand(BOOLEAN, lambda frame: bool(items(frame)), maybe_null=False)
    variable = node.lambda_.identifier.full_name()
    if variable in scope:
        raise invalid(f"The range variable '{variable}' has already been declared.", OPTION)
    inner = scope.with_variable(variable, owner.type.item)
    body = _compile(node.lambda_.expression, inner)
    if body.type is not BOOLEAN:
        raise invalid(
            "The Any/All query expression must evaluate to a single boolean value.", OPTION
        )
    test = body.get
    quantifier = any if isinstance(node.operator, ast.Any) else all
    if scope:

        def quantified(frame: Any) -> bool:
            return quantifier(test((*frame, item)) is True for item in items(frame) or ())

    else:

        def quantified(frame: Any) -> bool:
            return quantifier(test((frame, item)) is True for item in items(frame) or ())

    return _Operand(BOOLEAN, quantified, maybe_null=False)
