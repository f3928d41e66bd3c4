"""--set / --set-string / --set-json parse like Helm's strvals."""
import pytest

from helm_vnp.config.strvals import SetSyntaxError, parse_into


def parsed(text, mode="set", dest=None):
    dest = {} if dest is None else dest
    parse_into(text, dest, mode)
    return dest


@pytest.mark.parametrize("text,expected", [
    ("a=b", {"a": "b"}),
    ("a.b.c=1", {"a": {"b": {"c": 1}}}),
    ("a=1,b=2", {"a": 1, "b": 2}),
    ("a=true,b=FALSE,c=Null", {"a": True, "b": False, "c": None}),
    ("a=0,b=007,c=-5,d=+5,e=1.5,f=1e3", {"a": 0, "b": "007", "c": -5, "d": 5, "e": "1.5", "f": "1e3"}),
    ("a=", {"a": ""}),
    ("a={x,y,3}", {"a": ["x", "y", 3]}),
    ("a={}", {"a": [""]}),  # Helm's quirk: an empty list literal holds one empty string
    (r"a\.b=c", {"a.b": "c"}),
    (r"a=x\,y", {"a": "x,y"}),
    ("a[1]=x", {"a": [None, "x"]}),
    ("a[0].b=x,a[0].c=y", {"a": [{"b": "x", "c": "y"}]}),
    ("a[0][1]=x", {"a": [[None, "x"]]}),
    ("matchLabels.app\\.kubernetes\\.io/name=web", {"matchLabels": {"app.kubernetes.io/name": "web"}}),
    ("a={x,y},b=1", {"a": ["x", "y"], "b": 1}),
])
def test_set_syntax(text, expected):
    assert parsed(text) == expected


def test_set_string_keeps_text():
    assert parsed("a=true,b=10,c={1,2}", "string") == {"a": "true", "b": "10", "c": ["1", "2"]}


@pytest.mark.parametrize("text,expected", [
    ('a={"b":[1,2]}', {"a": {"b": [1, 2]}}),
    ('a=[1],b="x"', {"a": [1], "b": "x"}),
    ("a=", {"a": None}),
    ('a[0]={"x":1}', {"a": [{"x": 1}]}),
    ('{"a":{"b":1}}', {"a": {"b": 1}, "keep": 1}),
])
def test_set_json(text, expected):
    assert parsed(text, "json", {"keep": 1} if text.startswith("{") else {}) == expected


def test_set_overrides_into_existing_maps():
    dest = {"a": {"b": 1, "c": 2}, "l": [1, 2, 3]}
    parse_into("a.b=9,l[1]=x", dest)
    assert dest == {"a": {"b": 9, "c": 2}, "l": [1, "x", 3]}


@pytest.mark.parametrize("text,message,key", [
    ("a", "a key has no value", ["a"]),
    ("a,b=1", "a key has no value (cannot end with ,)", ["a"]),
    ("a={x,y", "list must terminate with '}'", None),
    ("a[x]=1", "a list index is not a number", ["a"]),
    ("a[-1]=1", "negative -1 index not allowed", None),
    ("a[70000]=1", "index of 70000 is greater than maximum supported index of 65536", None),
    ("a[0]x=1", "unexpected data after a list index", ["a", 0]),
    ("a.=1", "a key map has no value", ["a"]),
    ("b.c=1,b.c.d=2", "cannot set a key below one that already holds a number, not a map", ["b", "c"]),
])
def test_set_errors(text, message, key):
    """Messages never quote the argument (a --set holds the chart's values); the key is kept apart."""
    with pytest.raises(SetSyntaxError) as exc:
        parsed(text)
    assert str(exc.value) == message and exc.value.key == key and 1 <= exc.value.pos <= len(text)


def test_set_into_scalar_is_an_error():
    with pytest.raises(SetSyntaxError, match="not a map"):
        parse_into("a.b=1", {"a": "text"})
