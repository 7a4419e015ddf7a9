"""`$filter` text to an `odata_query.ast` tree, with Microsoft OData's (ODL's) lexical rules.

odata-query's SLY lexer differs from ODL's; its token stream is repaired before parsing:

- it lexes case-insensitively; ODL keywords are case-sensitive (`EQ`, `And` are errors here),
  while built-in function names are not (`Contains(...)` is `contains(...)`);
- `null`, `true`, `any`... are matched as prefixes (`nullable` lexes as `null` + `able`), and
  identifiers longer than 128 characters are split: such glued pieces are joined back;
- numeric literals with a type suffix (`123L`, `1.5M`) are not understood: the suffix is dropped;
- operators need whitespace on both sides (`not(...)`, `Name in('a')` fail): such identifiers are
  turned back into operators where an operator belongs;
- a one-item list (`Name in ('a')`) must be written `('a',)`: the comma is added;
- leading and trailing whitespace is a syntax error: it is dropped;
- `\\d` matches any Unicode digit: only ASCII digits are accepted.

Every failure of the library, including `RecursionError` on deep paths, becomes `ODataQueryError`.
"""

import importlib
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from odata_query import ast
from odata_query.exceptions import (
    ArgumentCountException,
    ParsingException,
    TokenizingException,
    UnknownFunctionException,
)
from sly.lex import Token

from uipath_emulator.mock_server.orchestrator.odata.errors import ODataQueryError, invalid
from uipath_emulator.mock_server.orchestrator.odata.functions import no_signature, unknown_function

OPTION = "$filter"
MAX_DEPTH = 800
"""ODL's `UriQueryExpressionParser` recursion limit: parentheses nested deeper are refused."""
MAX_NODE_COUNT = 100
MAX_ANY_ALL_DEPTH = 1

_OPERATORS: dict[str, tuple[str, type[ast._Node]]] = {
    "and": ("AND", ast.And),
    "or": ("OR", ast.Or),
    "eq": ("EQ", ast.Eq),
    "ne": ("NE", ast.NotEq),
    "lt": ("LT", ast.Lt),
    "le": ("LE", ast.LtE),
    "gt": ("GT", ast.Gt),
    "ge": ("GE", ast.GtE),
    "in": ("IN", ast.In),
    "add": ("ADD", ast.Add),
    "sub": ("SUB", ast.Sub),
    "mul": ("MUL", ast.Mult),
    "div": ("DIV", ast.Div),
    "mod": ("MOD", ast.Mod),
}
_OPERATOR_TYPES = {token_type: keyword for keyword, (token_type, _) in _OPERATORS.items()}
_OPERATOR_TYPES["NOT"] = "not"
_WORDS = {"NULL": ("null",), "BOOLEAN": ("true", "false"), "ANY": ("any",), "ALL": ("all",)}
_WORDISH = {"ODATA_IDENTIFIER", *_WORDS}
_LITERALS = {
    "STRING",
    "INTEGER",
    "DECIMAL",
    "NULL",
    "BOOLEAN",
    "GUID",
    "DATE",
    "TIME",
    "DATETIME",
    "DURATION",
    "GEOGRAPHY",
}
_OPERAND_ENDS = {"ODATA_IDENTIFIER", ")", *_LITERALS}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_INTEGER_SUFFIXES = frozenset("LlMmDdFf")
_DECIMAL_SUFFIXES = frozenset("MmDdFf")


@dataclass
class _Tok:
    type: str
    value: Any
    start: int
    text: str


def parse_filter(text: str) -> ast._Node:
    """The AST of a `$filter` expression, within ASP.NET OData's node-count and any/all limits."""
    check_depth(text)
    try:
        tokens = _tokens(text)
        tree: ast._Node = _grammar().ODataParser().parse(iter(tokens))
    except ODataQueryError:
        raise
    except TokenizingException as error:
        position = error.token.index
        raise invalid(
            f"Syntax error: character '{text[position]}' is not valid at position {position} "
            f"in '{text}'.",
            OPTION,
        ) from None
    except ParsingException as error:
        position = len(text) if error.token is None else error.token.index
        raise _syntax_error(text, position) from None
    except UnknownFunctionException as error:
        raise unknown_function(error.function_name) from None
    except ArgumentCountException as error:
        raise no_signature(error.function_name) from None
    except RecursionError:
        raise invalid("The $filter expression is nested too deeply.", OPTION) from None
    except Exception:  # odata-query has more failure modes than it documents
        raise invalid(f"Syntax error in '{text}'.", OPTION) from None
    if tree is None:
        raise _syntax_error(text, len(text))
    check_limits(tree)
    return tree


def check_depth(text: str) -> None:
    """Refuse parentheses nested deeper than `MAX_DEPTH` before any parsing (linear, cheap).

    Parentheses inside string literals (`'...'`, with `''` for a quote) do not count.
    """
    depth = 0
    in_string = False
    for character in text:
        if character == "'":
            in_string = not in_string
        elif in_string:
            continue
        elif character == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise invalid(
                    f"Recursion depth exceeded allowed limit ({MAX_DEPTH} nested parentheses).",
                    OPTION,
                )
        elif character == ")":
            depth -= 1


def _syntax_error(text: str, position: int) -> ODataQueryError:
    return invalid(f"Syntax error at position {position} in '{text}'.", OPTION)


@cache
def _grammar() -> ModuleType:
    """odata-query's grammar, imported on the first `$filter`: building it takes ~35 ms."""
    return importlib.import_module("odata_query.grammar")


def _tokens(text: str) -> list[Token]:
    lexed = list(_grammar().ODataLexer().tokenize(text))
    toks: list[_Tok] = []
    for index, token in enumerate(lexed):
        end = lexed[index + 1].index if index + 1 < len(lexed) else len(text)
        raw = text[token.index : end]
        start = token.index + len(raw) - len(raw.lstrip())
        toks.append(_Tok(token.type, token.value, start, raw.strip()))
    while toks and toks[0].type == "WS":
        toks.pop(0)
    while toks and toks[-1].type == "WS":
        toks.pop()
    toks = _join_words(toks)
    toks = _drop_number_suffixes(toks, text)
    toks = _operators(toks, text)
    toks = _function_names(toks)
    toks = _one_item_lists(toks)
    return [_sly_token(tok) for tok in toks]


def _function_names(toks: list[_Tok]) -> list[_Tok]:
    """Built-in function names in any case (`Contains(`) as the grammar knows them."""
    known = _grammar().ODATA_FUNCTIONS
    for index, tok in enumerate(toks[:-1]):
        if tok.type != "ODATA_IDENTIFIER" or tok.value.namespace or toks[index + 1].type != "(":
            continue
        lowered = tok.text.lower()
        if lowered != tok.text and lowered in known:
            toks[index] = _Tok(tok.type, _identifier(lowered), tok.start, lowered)
    return toks


def _identifier(name: str) -> ast.Identifier:
    *namespace, last = name.split(".")
    return ast.Identifier(last, tuple(namespace))


def _join_words(toks: list[_Tok]) -> list[_Tok]:
    """Joins identifier pieces the lexer split; words in the wrong case become identifiers."""
    joined: list[_Tok] = []
    for index, tok in enumerate(toks):
        previous = joined[-1] if joined else None
        if tok.type in _WORDS and (
            tok.text not in _WORDS[tok.type]
            or (tok.type in ("ANY", "ALL") and (previous is None or previous.type != "/"))
        ):
            tok = _Tok("ODATA_IDENTIFIER", _identifier(tok.text), tok.start, tok.text)
        glued = previous is not None and previous.type in _WORDISH
        if glued and previous is not None and _continues_word(tok, toks, index):
            name = previous.text + tok.text
            joined[-1] = _Tok("ODATA_IDENTIFIER", _identifier(name), previous.start, name)
            continue
        joined.append(tok)
    return joined


def _continues_word(tok: _Tok, toks: list[_Tok], index: int) -> bool:
    if tok.type == "INTEGER":
        return tok.text.isascii() and tok.text.isdigit()
    if tok.type not in _WORDISH:
        return False
    return not (tok.type in ("ANY", "ALL") and toks[index - 1].type == "/")


def _drop_number_suffixes(toks: list[_Tok], text: str) -> list[_Tok]:
    kept: list[_Tok] = []
    for tok in toks:
        previous = kept[-1] if kept else None
        if tok.type in ("INTEGER", "DECIMAL"):
            pattern = _INTEGER if tok.type == "INTEGER" else _DECIMAL
            if not pattern.fullmatch(tok.text):
                raise _syntax_error(text, tok.start)
        if (
            previous is not None
            and tok.type == "ODATA_IDENTIFIER"
            and (
                (previous.type == "INTEGER" and tok.text in _INTEGER_SUFFIXES)
                or (previous.type == "DECIMAL" and tok.text in _DECIMAL_SUFFIXES)
            )
        ):
            continue
        kept.append(tok)
    return kept


def _operators(toks: list[_Tok], text: str) -> list[_Tok]:
    """Checks operator case; turns operator-position identifiers (`in(`, `not(`) into operators."""
    result: list[_Tok] = []
    index = 0
    while index < len(toks):
        tok = toks[index]
        following = toks[index + 1] if index + 1 < len(toks) else None
        if tok.type in _OPERATOR_TYPES:
            _check_case(tok.text, _OPERATOR_TYPES[tok.type], tok.start, text)
        elif tok.type == "ODATA_IDENTIFIER" and not tok.value.namespace:
            word = tok.text
            lowered = word.lower()
            if lowered == "not" and following is not None and following.type == "(":
                _check_case(word, "not", tok.start, text)
                tok = _Tok("NOT", ast.Not(), tok.start, word)
            elif lowered in _OPERATORS and _after_operand(result):
                _check_case(word, lowered, tok.start, text)
                token_type, node = _OPERATORS[lowered]
                tok = _Tok(token_type, node(), tok.start, word)
                while result and result[-1].type == "WS":
                    result.pop()
                if following is not None and following.type == "WS":
                    index += 1
        result.append(tok)
        index += 1
    return result


def _after_operand(done: list[_Tok]) -> bool:
    significant = [tok for tok in done[-2:] if tok.type != "WS"]
    return bool(significant) and significant[-1].type in _OPERAND_ENDS


def _check_case(word: str, keyword: str, position: int, text: str) -> None:
    if word != keyword:
        raise invalid(
            f"Syntax error at position {position} in '{text}': '{word}' is not a keyword; "
            f"OData keywords are case-sensitive (did you mean '{keyword}'?).",
            OPTION,
        )


def _one_item_lists(toks: list[_Tok]) -> list[_Tok]:
    """`x in ('a')` becomes `x in ('a',)`, the one-item list odata-query's grammar accepts."""
    closings: set[int] = set()
    for index, tok in enumerate(toks):
        if tok.type != "IN":
            continue
        following = enumerate(toks[index + 1 : index + 6], index + 1)
        significant = [(at, t) for at, t in following if t.type != "WS"][:3]
        types = [t.type for _, t in significant]
        if len(types) == 3 and types[0] == "(" and types[1] in _LITERALS and types[2] == ")":
            closings.add(significant[2][0])
    result: list[_Tok] = []
    for index, tok in enumerate(toks):
        if index in closings:
            result.append(_Tok(",", ",", tok.start, ","))
        result.append(tok)
    return result


def _sly_token(tok: _Tok) -> Token:
    token = Token()
    token.type = tok.type
    token.value = tok.value
    token.lineno = 1
    token.index = tok.start
    return token


def check_limits(tree: ast._Node) -> None:
    """ASP.NET OData's `MaxNodeCount` (100) and `MaxAnyAllExpressionDepth` (1) validation.

    Counts one node per operator, function call, literal, list and property-path segment, plus one
    for the implicit range variable (`$it` or the lambda's) under each path, as ASP.NET's
    `FilterQueryValidator` visits them (type-promotion `Convert` nodes, which ODL sometimes adds,
    are not counted).
    """
    count = 0
    stack: list[tuple[Any, int, frozenset[str]]] = [(tree, 0, frozenset())]
    while stack:
        node, depth, variables = stack.pop()
        if isinstance(node, ast.Lambda):
            inner = variables | {node.identifier.name}
            stack.append((node.expression, depth, inner))
            continue
        root = isinstance(node, ast.Identifier) and node.name not in variables
        count += 2 if root else 1
        if count > MAX_NODE_COUNT:
            raise invalid(
                f"The node count limit of '{MAX_NODE_COUNT}' has been exceeded. To increase the "
                "limit, set the 'MaxNodeCount' property on EnableQueryAttribute or "
                "ODataValidationSettings.",
                OPTION,
            )
        if isinstance(node, ast.CollectionLambda):
            if depth >= MAX_ANY_ALL_DEPTH:
                raise invalid(
                    f"The Any/All nesting limit of '{MAX_ANY_ALL_DEPTH}' has been exceeded. "
                    "'MaxAnyAllExpressionDepth' can be configured on ODataQuerySettings or "
                    "EnableQueryAttribute.",
                    OPTION,
                )
            stack.append((node.owner, depth, variables))
            if node.lambda_ is not None:
                stack.append((node.lambda_, depth + 1, variables))
            continue
        stack.extend((child, depth, variables) for child in _children(node))


def _children(node: Any) -> list[Any]:
    if isinstance(node, ast.Compare | ast.BoolOp | ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    if isinstance(node, ast.List):
        return list(node.val)
    if isinstance(node, ast.Attribute):
        return [node.owner]
    if isinstance(node, ast.NamedParam):
        return [node.param]
    return []
