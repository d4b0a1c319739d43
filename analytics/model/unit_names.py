"""Unit names as offices write them, matched to the names in the data (DOMAIN.md, "Reported tables as bodies file
them").

A body writes "Phòng TN&MT", "Sở LĐ-TB&XH", "UBND P. Bắc Sơn", "Sở Tư pháp - tỉnh An Giang" or "Sở Giáo dục Đào
tạo" where its software says "Phòng Tài nguyên và Môi trường", "Sở Lao động - Thương binh và Xã hội", "UBND phường Bắc
Sơn", "Sở Tư pháp", "Sở Giáo dục và Đào tạo". `match_names` matches such names one to one, in stages from the surest:

1. the user's corrections (`row_map`); a correction whose target the data lack falls back to the stages below;
2. the same plain words (no accents, case or punctuation);
3. the same words without the common prefixes ("UBND", "Sở", "Phòng", "Xã" …), their kinds agreeing;
4. as offices write them: short forms expanded ("P." phường, "X." xã, "TT." thị trấn, "TP." thành phố …), an
   abbreviation read as the initials of the full name's words ("TN&MT" = Tài nguyên và Môi trường; "và", "&", "-"
   aside), "và" left out, the body's location attached or not ("… - tỉnh An Giang", "…, huyện Cao Lộc");
5. otherwise only *suggestions* (names alike but not the same), never applied: the user confirms them.

A name that fits two groups in a stage is never guessed: it is left unmatched with the groups it could be.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from analytics.model.text_keys import plain_key

# How a name was matched.
ROW_MAP, EXACT, NAME_WITHOUT_PREFIX, SHORT_FORM, LOCATION = "row_map", "exact", "without_prefix", "short_form", \
    "location"
# Why a name matched nothing (Unmatched.code), with the evidence each carries.
NO_NAME = "no_name"                    # the row has no name
MAP_ROW_MANY = "map_row_many"          # the correction points to a name several groups have: {"target", "groups"}
MANY_GROUPS = "many_groups"            # the name fits several groups: {"groups"}
GROUP_TAKEN = "group_taken"            # its group was matched to another row already: {"group"}
PREFIX_SHARED = "prefix_shared"        # without prefixes it fits a group other rows fit too: {"group", "rows"}
PREFIX_MANY = "prefix_many"            # without prefixes it fits several groups: {"groups"}
SHORT_MANY = "short_many"              # written short, it fits several groups: {"groups"}
LIKELY = "likely"                      # no group has its name, but some are alike: {"suggestions"}
NO_GROUP = "no_group"                  # no group has its name, even without accents, case and prefixes

# Words a body puts before a name that the data may leave out ("UBND xã Tân Lập" / "Xã Tân Lập"), as plain keys.
# Each maps to its kind: two names match without their prefixes only when their kinds agree or one has none, so
# "Sở Tư pháp" never matches "Phòng Tư pháp". "UBND" and "Cấp" say nothing of the kind.
_PREFIXES = {"uy ban nhan dan": "", "ubnd": "", "cap": "", "so": "so", "phong": "phong", "xa": "xa",
             "phuong": "phuong", "thi tran": "thi tran", "thi xa": "thi xa", "tx": "thi xa", "thanh pho": "thanh pho",
             "tp": "thanh pho", "huyen": "huyen", "quan": "quan", "tinh": "tinh", "linh vuc": "linh vuc"}
_PREFIX_WORDS = sorted(((tuple(k.split()), v) for k, v in _PREFIXES.items()), key=lambda p: -len(p[0]))
NUMBERING = re.compile(r"^\s*(?:(?:[0-9]+(?:\.[0-9]+)*|[IVXLC]+|[a-zđ])\s*[.)/]|[-–+•*])\s*")
# Short forms a body writes with a dot: "UBND P. Bắc Sơn", "X. Tân Lập", "TT. Đồng Đăng", "TP. Lạng Sơn".
_SHORT_FORMS = {"p": "phường", "x": "xã", "tt": "thị trấn", "tp": "thành phố", "tx": "thị xã", "h": "huyện",
                "q": "quận"}
_SHORT_FORM = re.compile(r"(?<![\w.])(P|X|TT|TP|TX|H|Q)\.\s*", re.IGNORECASE)
# A location attached after a name: "Sở Tư pháp - tỉnh An Giang", "Phòng Tư pháp thành phố Lạng Sơn", "UBND xã Tân
# Lập, huyện Cao Lộc", "(TP Lạng Sơn)". The words before must stay a name of their own.
_PLACES = r"tinh|thanh pho|tp|huyen|quan|thi xa|tx"
_LOCATION = re.compile(rf"^(?P<name>.+) (?:{_PLACES})( [a-z0-9 ]+)?$")   # the last place; "Thanh tra tỉnh" too
_AND = {"va"}
_UPPER = re.compile(r"^[A-ZĐ]{2,}$")
_LIKE = 0.84   # names at least this alike (difflib's ratio of their plain words) are suggested, never applied


def name_parts(name) -> tuple[tuple[str, ...], str]:
    """(the kinds of the prefixes, the rest) of a name: "1. UBND xã Tân Lập" -> (("xa",), "tan lap"). A name is never
    stripped to nothing: "Xã" alone stays "xa"."""
    words = plain_key(NUMBERING.sub("", expand_short_forms(name))).split()
    kinds = []
    stripped = True
    while stripped:
        stripped = False
        for phrase, kind in _PREFIX_WORDS:
            if tuple(words[:len(phrase)]) == phrase and len(words) > len(phrase):
                words = words[len(phrase):]
                kinds += [kind] if kind else []
                stripped = True
                break
    return tuple(kinds), " ".join(words)


def unit_key(name) -> str:
    """What makes two spellings of a unit's name the same name: its prefixes' kinds and the rest, short forms
    expanded ("UBND P. Tam Thanh", "Phường Tam Thanh" -> "phuong|tam thanh")."""
    kinds, rest = name_parts(name)
    return " ".join(kinds) + "|" + rest


# What a receiving point puts before its body's name: "Bộ phận Một cửa UBND phường A", "TT PVHCC phường A".
_RECEIVING_WORDS = re.compile(
    r"^(bo phan (mot cua|tiep nhan va tra ket qua|tn va tkq|tn tkq|tiep nhan)"
    r"|(trung tam|tt) (phuc vu hanh chinh cong|hanh chinh cong|pvhcc|hcc)|diem tiep nhan|mot cua)( (cua|thuoc))?\s*")


def same_body(receiving_point, unit) -> bool:
    """Whether a receiving point is its deciding unit's own one-stop desk ("Bộ phận Một cửa UBND phường A" and
    "UBND phường A"; "TT PVHCC phường A" and "Phường A"), not another place."""
    rest = _RECEIVING_WORDS.sub("", plain_key(expand_short_forms(receiving_point)))
    a, b = name_parts(rest or plain_key(receiving_point)), name_parts(unit)
    return a == b or _same_without_prefix(a, b)


def expand_short_forms(name) -> str:
    """"UBND P. Bắc Sơn" -> "UBND phường Bắc Sơn"."""
    return _SHORT_FORM.sub(lambda m: _SHORT_FORMS[m.group(1).lower()] + " ", str(name))


def _kinds_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return a == b or not a or not b


def _same_without_prefix(a: tuple[tuple[str, ...], str], b: tuple[tuple[str, ...], str]) -> bool:
    (kinds_a, rest_a), (kinds_b, rest_b) = a, b
    return bool(rest_a) and rest_a == rest_b and (kinds_a == kinds_b or not kinds_a or not kinds_b)


# --- As offices write them ------------------------------------------------------------------------------------------

def _tokens(name) -> list[tuple[str, str]]:
    """A name as ("word", plain word) and ("initials", plain letters) tokens: "Phòng TN&MT" -> [("word", "phong"),
    ("initials", "tn"), ("initials", "mt")]. Leading numbering and "UBND" are left out; short forms expanded."""
    text = NUMBERING.sub("", expand_short_forms(name))
    out = []
    for raw in re.split(r"[\s&,;/–—()\-]+", text):
        raw = raw.strip(".:")
        if not raw:
            continue
        key = plain_key(raw)
        if not key:
            continue
        if _UPPER.match(raw) and key not in ("ubnd",):
            out.append(("initials", key.replace(" ", "")))
        else:
            out += [("word", w) for w in key.split()]
    while out[:1] == [("word", "ubnd")] or out[:4] == [("word", w) for w in ("uy", "ban", "nhan", "dan")]:
        out = out[1:] if out[0][1] == "ubnd" else out[4:]
    return out


def _written_as(short: list[tuple[str, str]], words: list[str]) -> bool:
    """Whether `short` (words and initials) writes the full `words`: each word the same word, each run of initials
    the first letters of as many words; "và" skipped on either side."""
    short = [t for t in short if not (t[0] == "word" and t[1] in _AND)]
    words = [w for w in words if w not in _AND]
    seen: set[tuple[int, int]] = set()

    def fits(i: int, j: int) -> bool:
        if (i, j) in seen:
            return False
        seen.add((i, j))
        if i == len(short):
            return j == len(words)
        kind, text = short[i]
        if kind == "word":
            return j < len(words) and words[j] == text and fits(i + 1, j + 1)
        n = len(text)
        if j + n <= len(words) and all(words[j + k][0] == text[k] for k in range(n)) and fits(i + 1, j + n):
            return True
        return j < len(words) and words[j] == text and fits(i + 1, j + 1)   # "TP" written as a word
    return fits(0, 0)


def without_location(name) -> str | None:
    """The name's plain words without a location attached ("Sở Tư pháp - tỉnh An Giang" -> "so tu phap", "UBND xã
    Tân Lập, huyện Cao Lộc, tỉnh Lạng Sơn" -> "ubnd xa tan lap"), or None when none is attached or what is left would
    not be a name of its own (two words at least, not only prefixes: "UBND tỉnh Lạng Sơn" has none attached)."""
    key = plain_key(NUMBERING.sub("", expand_short_forms(name)))
    found = None
    while (match := _LOCATION.match(key)) is not None:
        rest = match.group("name")
        kinds, bare = name_parts(rest)
        if len(rest.split()) < 2 or not bare or bare in _PREFIXES or rest in _PREFIXES:
            break
        found = key = rest
    return found


def _places_agree(a: str, b: str) -> bool:
    """"tinh an giang" and "tinh" agree (the place's kind alone); "tinh" and "huyen" do not."""
    short, long = sorted((a, b), key=len)
    return a == b or (short in _PLACES.split("|") and long.startswith(short + " "))


@dataclass(frozen=True)
class _Form:
    """One way to read a name: its tokens, its words when it has no initials, the location taken off ("" none)."""
    tokens: tuple[tuple[str, str], ...]
    words: tuple[str, ...] | None
    place: str

    @property
    def short_keys(self) -> set[str]:
        """The first letters of the words it stands for: each word's, each run of initials' letters (or, a run
        written in capitals as a word, its first)."""
        spelled = [t[1] if t[0] == "initials" else t[1][0] for t in self.tokens if t[1] not in _AND]
        as_words = [t[1][0] for t in self.tokens if t[1] not in _AND]
        return {"".join(spelled), "".join(as_words)}

    @property
    def full_key(self) -> str | None:
        return "".join(w[0] for w in self.words if w not in _AND) if self.words is not None else None


@lru_cache(maxsize=65536)
def _forms(name: str) -> tuple[_Form, ...]:
    """The name as written, and without the location attached to it (when one is)."""
    out = []
    bare = without_location(name)
    whole = plain_key(NUMBERING.sub("", expand_short_forms(name)))
    for text, place in [(name, "")] + ([(bare, whole[len(bare):].strip())] if bare else []):
        tokens = tuple(_tokens(text))
        if tokens:
            words = tuple(t[1] for t in tokens) if all(t[0] == "word" for t in tokens) else None
            out.append(_Form(tokens, words, place))
    return tuple(out)


def _forms_alike(x: _Form, y: _Form) -> bool:
    if x.place and y.place and not _places_agree(x.place, y.place):
        return False   # "Công an tỉnh" and "Công an huyện": two places, two units
    return _written_as(list(x.tokens), _spelled(y)) or _written_as(list(y.tokens), _spelled(x))


def _spelled(form: _Form) -> list[str]:
    """A form's words, each run of initials as one-letter words ("Sở Nông nghiệp và PTNT" -> so nong nghiep va p t
    n t): what the other form's initials are read against ("Sở NN&PTNT")."""
    return [w for t in form.tokens for w in ([t[1]] if t[0] == "word" else list(t[1]))]


def written_alike(a, b) -> bool:
    """Whether two names are the same unit as offices write it: one's short forms, initials and "và" spell the other,
    with or without a location attached to either."""
    return any(_forms_alike(x, y) for x in _forms(str(a)) for y in _forms(str(b)))


@lru_cache(maxsize=65536)
def _plain_tokens(name: str) -> str:
    return " ".join(t[1] for t in _tokens(name))


def alike(a, b) -> float:
    """How alike two names' plain words are (0 to 1), prefixes like "UBND" aside."""
    return difflib.SequenceMatcher(None, _plain_tokens(str(a)), _plain_tokens(str(b))).ratio()


def _alike_enough(a: str, b: str) -> bool:
    """alike(a, b) >= _LIKE, the cheap upper bounds tried first."""
    matcher = difflib.SequenceMatcher(None, _plain_tokens(a), _plain_tokens(b))
    return matcher.real_quick_ratio() >= _LIKE and matcher.quick_ratio() >= _LIKE and matcher.ratio() >= _LIKE


@lru_cache(maxsize=65536)
def _initials(name) -> str:
    return "".join(t[1] if t[0] == "initials" else t[1][0] for t in _tokens(name) if t[1] not in _AND)


def _initials_overlap(a, b) -> bool:
    """One name's initials begin the other's, four letters at least ("Sở VHTTDL" and "Sở Văn hóa và Thể thao"): a
    unit that may have been renamed or split, worth suggesting."""
    x, y = sorted((_initials(a), _initials(b)), key=len)
    return len(x) >= 4 and y.startswith(x)


# --- Matching ---------------------------------------------------------------------------------------------------

@dataclass
class Matches:
    """What `match_names` found, by the reported name's position."""
    matched: dict[int, tuple[str, str]] = field(default_factory=dict)     # position -> (group, how)
    unmatched: dict[int, tuple[str, dict]] = field(default_factory=dict)  # position -> (code, evidence)
    unused: list[tuple[str, str]] = field(default_factory=list)   # corrections naming no reported row
    stale: list[tuple[str, str]] = field(default_factory=list)    # corrections whose target the data lack


def match_names(reported: list[str], groups: list[str], row_map: dict[str, str] | None = None) -> Matches:
    """Reported names (by position) matched to the data's group names (module docstring). Automatic matches are one
    to one: a group already taken, or a name fitting two groups, is not guessed."""
    out = Matches()
    by_key: dict[str, list[str]] = {}
    for g in groups:
        by_key.setdefault(plain_key(g), []).append(g)

    def find(target: str) -> list[str]:
        return [target] if target in groups else by_key.get(plain_key(target), [])

    taken: set[str] = set()
    keys = [plain_key(n) for n in reported]
    for wanted, target in (row_map or {}).items():
        positions = [i for i, n in enumerate(reported) if n == wanted] or \
                    [i for i, k in enumerate(keys) if k == plain_key(wanted)]
        if not positions:
            out.unused.append((wanted, target))
            continue
        found = find(target)
        if not found:
            out.stale.append((wanted, target))   # the data lack it here: matched as any other row
            continue
        for i in positions:
            if len(found) == 1:
                out.matched[i] = (found[0], ROW_MAP)
                taken.add(found[0])
            else:
                out.unmatched[i] = (MAP_ROW_MANY, {"target": target, "groups": found})
    _exact(reported, keys, find, by_key, taken, out)
    _one_to_one(reported, taken, out, NAME_WITHOUT_PREFIX, _prefix_candidates(reported, groups), PREFIX_MANY)
    _one_to_one(reported, taken, out, SHORT_FORM, _short_candidates(reported, groups), SHORT_MANY)
    group_kinds = {g: name_parts(g)[0] for g in groups}
    for i in range(len(reported)):
        if i in out.matched or i in out.unmatched:
            continue
        kinds = name_parts(reported[i])[0]
        free = [g for g in groups if g not in taken and _kinds_agree(kinds, group_kinds[g])]
        close = [g for g in free if _alike_enough(str(reported[i]), g) or _initials_overlap(reported[i], g)]
        suggestions = sorted(close, key=lambda g: -alike(reported[i], g))[:3]
        out.unmatched[i] = (LIKELY, {"suggestions": suggestions}) if suggestions else (NO_GROUP, {})
    return out


def _exact(reported, keys, find, by_key, taken, out: Matches) -> None:
    for i, key in enumerate(keys):
        if i in out.matched or i in out.unmatched:
            continue
        if not key:
            out.unmatched[i] = (NO_NAME, {})
            continue
        found = [g for g in find(reported[i]) if g not in taken]
        if len(found) > 1 and reported[i] in found:
            found = [reported[i]]
        if len(found) == 1:
            out.matched[i] = (found[0], EXACT)
            taken.add(found[0])
        elif found:
            out.unmatched[i] = (MANY_GROUPS, {"groups": found})
        elif by_key.get(key):
            out.unmatched[i] = (GROUP_TAKEN, {"group": by_key[key][0]})


def _prefix_candidates(reported, groups):
    """Each row's groups with the same name once prefixes are removed, their kinds agreeing."""
    by_rest: dict[str, list[str]] = {}
    parts = {g: name_parts(g) for g in groups}
    for g in groups:
        by_rest.setdefault(parts[g][1], []).append(g)

    def candidates(i: int) -> list[str]:
        mine = name_parts(reported[i])
        return [g for g in by_rest.get(mine[1], []) if _same_without_prefix(mine, parts[g])]
    return candidates


def _short_candidates(reported, groups):
    """Each row's groups written alike (written_alike), tried only where the first letters can agree."""
    shorts: dict[str, set[str]] = {}
    fulls: dict[str, set[str]] = {}
    for g in groups:
        for form in _forms(g):
            for key in form.short_keys:
                shorts.setdefault(key, set()).add(g)
            if form.full_key is not None:
                fulls.setdefault(form.full_key, set()).add(g)

    def candidates(i: int) -> list[str]:
        name = str(reported[i])
        tried: set[str] = set()
        for form in _forms(name):
            for key in form.short_keys:
                tried |= fulls.get(key, set()) | shorts.get(key, set())
            if form.full_key is not None:
                tried |= shorts.get(form.full_key, set())
        return [g for g in groups if g in tried and written_alike(name, g)]
    return candidates


def _one_to_one(reported, taken: set[str], out: Matches, how: str, candidates, many: str) -> None:
    """One stage: each open row's fitting free groups; a row fitting one group no other row fits is matched."""
    wanted: dict[int, list[str]] = {}
    for i in range(len(reported)):
        if i in out.matched or i in out.unmatched:
            continue
        wanted[i] = [g for g in candidates(i) if g not in taken]
    claims: dict[str, list[int]] = {}
    for i, found in wanted.items():
        if len(found) == 1:
            claims.setdefault(found[0], []).append(i)
    for i, found in wanted.items():
        if len(found) == 1 and len(claims[found[0]]) == 1:
            out.matched[i] = (found[0], how)
        elif len(found) == 1:
            out.unmatched[i] = (PREFIX_SHARED, {"group": found[0],
                                                "rows": [reported[j] for j in claims[found[0]] if j != i]})
        elif found:
            out.unmatched[i] = (many, {"groups": found})
    taken.update(g for g, _ in (out.matched[i] for i in wanted if i in out.matched))
