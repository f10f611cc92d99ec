"""Reconnect's words: the language data, and the custom sentences file Assist reads.

Sentences ship in sentences/<lang>.yaml. The always-live ones (log a bid, start
the check-in, ...) are written as HA custom sentences, to
<config>/custom_sentences/<lang>/reconnect.yaml, so HA's own intent matcher
handles them beside its built-in sentences. That is the fast path for everyone
else's commands: HA's matcher skips a group of ours at once when none of its
required keywords (keywords.py) was said, while sentence triggers are
string-matched one by one on every utterance (measured in benchmarks/).
The folder is the user's: the writer touches only a file that carries its
header, holds a lock, and reloads only its own language. When it cannot (the
file is someone else's, or Assist fails to reload), the same sentences become
sentence triggers and a Repairs issue says why.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import partial
import hashlib
import importlib
from pathlib import Path
import re
from typing import Any

from hassil import Intents

from homeassistant.components import conversation
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import intent
from homeassistant.util.file import write_utf8_file_atomic
from homeassistant.util.yaml import dump as dump_yaml, load_yaml_dict

from .checkin import Say
from .const import DOMAIN, LOGGER
from .coordinator import entry_couple
from .issues import async_clear_sentences_issue, async_report_sentences_issue
from .journal import PARTNERS, Couple
from .keywords import required_keywords
from .reaction import Reactions, phrases
from .routing import named_partners

SENTENCES_DIR = Path(__file__).parent / "sentences"
LANGUAGE = "en"
# Where HA reads custom sentences: <config>/custom_sentences/<language>/*.yaml
CUSTOM_SENTENCES_FILE = ("custom_sentences", LANGUAGE, "reconnect.yaml")
OWNERSHIP_LINE = "# Written by the Reconnect integration"
CUSTOM_SENTENCES_HEADER = (
    f"{OWNERSHIP_LINE} from the partner names and aliases you set up.\n"
    "# It is rewritten when a name or alias changes and deleted when Reconnect\n"
    "# is removed, so edits here do not last.\n"
)
PARTNER_LIST = "reconnect_partner"
OTHER_LIST = "reconnect_other"
# Reply values that are partner keys ("a"/"b") and are spoken as names.
NAME_ROLES = ("bidder", "responder", "partner", "initiator")
# Characters with a meaning in hassil templates cannot be part of a name there.
_TEMPLATE_CHARS = re.compile(r"[()\[\]{}<>|]")

type TriggerCallback = Callable[[conversation.ConversationInput, Any], Awaitable[str | None]]


@dataclass(slots=True)
class Language:
    """One language's sentences, replies, reminders and prompt deck."""

    intents: dict[str, list[dict[str, Any]]]
    answers: dict[str, list[str]]
    responses: dict[str, str]
    prompts: dict[str, str]
    messages: dict[str, str]
    # The response words (rules toward.do, ...), for a bid told as a story.
    reactions: Reactions
    # How hurt feels ("let down"), to hear who is hurt after a fight is named.
    hurt_words: frozenset[tuple[str, ...]]

    @classmethod
    def load(cls, language: str) -> Language:
        """Read sentences/<language>.yaml (blocking: run it in the executor)."""
        data = load_yaml_dict(str(SENTENCES_DIR / f"{language}.yaml"))
        rules = data.get("rules", {})
        return cls(
            intents=expand_intents(data["intents"], rules),
            answers={k: v for k, v in data.items() if k.endswith("_answers")},
            responses=data["responses"],
            prompts=data["prompts"],
            messages=data["messages"],
            reactions=Reactions.from_rules(
                {r: expand_rules(f"(<{r}.do>|<{r}.told>)", rules) for r in RESPONSES}
            ),
            hurt_words=phrases(expand_rules("<hurt_word>", rules)),
        )

    def say(self, key: str, **values: Any) -> str:
        """Render one reply that names nobody."""
        return self.responses[key].format(**values)

    def say_count(self, key: str, count: int, **values: Any) -> str:
        """Render a reply about `count` things: `<key>_one` when there is one."""
        one = f"{key}_one"
        return self.say(one if count == 1 and one in self.responses else key, count=count, **values)

    def render(self, couple: Couple, says: Iterable[Say]) -> str:
        """Turn reply keys into one spoken reply, with the partners' names."""
        parts = []
        for say in says:
            values = {
                k: couple.name(str(v)) if k in NAME_ROLES and v in PARTNERS else v
                for k, v in say.values.items()
            }
            parts.append(self.responses[say.key].format(**values))
        return " ".join(p.strip() for p in parts if p.strip())


RESPONSES = ("toward", "away", "against")
MAX_RULE_DEPTH = 10
_RULE_REF = re.compile(r"<([\w.]+)>")
# A template that starts with free words needs no filler words (rules.pre) before it.
_LEADS = ("{lead}", "[{lead}", "<intro>", "<tell>")
_ROLE_REF = re.compile(r"<partner:(\w+)>")
_WILDCARD_REF = re.compile(r"\{(\w+)\}")


def expand_rules(template: str, rules: dict[str, str], depth: int = 0) -> str:
    """Write each <rule> of `rules` out in place (<partner> and unknown names stay)."""
    if depth > MAX_RULE_DEPTH:
        raise ValueError(f"rules nested too deep in {template!r}")

    def written(match: re.Match[str]) -> str:
        rule = rules.get(match.group(1))
        if rule is None:
            return match.group(0)
        # Folded YAML puts a space before each "|" that starts a line.
        text = " ".join(str(rule).split()).replace(" |", "|")
        return f"({expand_rules(text, rules, depth + 1)})"

    return _RULE_REF.sub(written, template)


def expand_intents(
    intents: dict[str, list[dict[str, Any]]], rules: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Turn en.yaml's groups into plain ones: rules written out, one copy per response.

    A group with `each_response` is copied for toward, away and against, its
    <R.x> becoming <toward.x>, ... and its `response` slot set. A sentence that
    names roles itself (<partner:bidder>) becomes a group of its own, with
    <partner> and `names` as the rest of Reconnect expects.
    """
    result: dict[str, list[dict[str, Any]]] = {}
    for intent_type, groups in intents.items():
        out: list[dict[str, Any]] = []
        pre = f"pre.{intent_type}" if f"pre.{intent_type}" in rules else "pre"
        for group in groups:
            copies = [group]
            if group.get("each_response"):
                copies = [
                    {
                        **group,
                        "slots": {**group.get("slots", {}), "response": response},
                        "sentences": [
                            s.replace("<R.", f"<{response}.") for s in group["sentences"]
                        ],
                    }
                    for response in RESPONSES
                ]
            for copy in copies:
                base = {k: v for k, v in copy.items() if k not in ("each_response", "sentences")}
                plain = []
                for template in copy["sentences"]:
                    filler = pre in rules and not template.startswith(_LEADS)
                    text = expand_rules(f"<{pre}> {template}" if filler else template, rules)
                    if roles := _ROLE_REF.findall(text):
                        sentence = _ROLE_REF.sub("<partner>", text)
                        out.append({**base, "names": roles, "sentences": [sentence]})
                    else:
                        plain.append(text)
                if plain:
                    out.append({**base, "sentences": plain})
        result[intent_type] = out
    return result


def template_name(name: str) -> str:
    """Make a name safe to write into a template."""
    return " ".join(_TEMPLATE_CHARS.sub(" ", name).split())


def partner_alternatives(names: Iterable[str]) -> str:
    """Write names as a template alternative, longest first so "Ann Marie" beats "Ann"."""
    safe = sorted({template_name(n) for n in names if template_name(n)}, key=len, reverse=True)
    return "(" + "|".join(safe) + ")"


def custom_sentences(
    lang: Language, names: Iterable[str], aliases: Iterable[tuple[str, str]] = ()
) -> dict[str, Any]:
    """Write the always-live sentences as HA custom sentences for these partner names.

    Each <partner> becomes a slot named after the role the group gives it, so
    "Maya turned away" reaches the intent as responder=Maya. `aliases` are
    (alias, name) pairs: an alias said reaches the intent as the name, so
    "Maia turned away" is responder=Maya too. Each group gets required
    keywords, so HA's matcher skips it at once for other commands.
    """
    intents: dict[str, Any] = {}
    for intent_type, groups in lang.intents.items():
        # One data group per set of fixed slots: HA's matcher pays for each group
        # on every utterance, and the roles are in the slot names already.
        data: dict[str, dict[str, Any]] = {}
        for group in groups:
            slots = dict(group.get("slots", {}))
            merged = data.setdefault(repr(sorted(slots.items())), {"sentences": [], "slots": slots})
            for template in group["sentences"]:
                # {other}, {tail}, ...: free words, heard as a wildcard slot of that name.
                text = _WILDCARD_REF.sub(rf"{{{OTHER_LIST}:\1}}", template)
                for role in group.get("names", ()):
                    text = text.replace("<partner>", f"{{{PARTNER_LIST}:{role}}}", 1)
                merged["sentences"].append(text)
        intents[intent_type] = {"data": list(data.values())}
    named = sorted({n for n in names if template_name(n)})
    also = sorted({(template_name(a), n) for a, n in aliases if template_name(a)})
    spoken = [*named, *(alias for alias, _ in also)]
    words = {PARTNER_LIST: frozenset(w.lower() for n in spoken for w in template_name(n).split())}
    for intent_data in (d for i in intents.values() for d in i["data"]):
        if keywords := required_keywords(intent_data["sentences"], words, spoken):
            intent_data["required_keywords"] = keywords
    values = [{"in": template_name(n), "out": n} for n in named]
    values += [{"in": alias, "out": name} for alias, name in also]
    return {
        "language": LANGUAGE,
        "intents": intents,
        "lists": {PARTNER_LIST: {"values": values}, OTHER_LIST: {"wildcard": True}},
    }


@callback
def async_register_trigger(
    hass: HomeAssistant, sentences: list[str], trigger_callback: TriggerCallback
) -> CALLBACK_TYPE:
    """Register sentence triggers with the built-in agent, whatever HA's signature."""
    manager = conversation.agent_manager.get_agent_manager(hass)
    register: Callable[..., CALLBACK_TYPE] = manager.register_trigger
    # The code object, not inspect.signature: that evaluates HA's annotations,
    # some of which exist only for type checkers.
    code = register.__code__
    if "trigger_details" in code.co_varnames[: code.co_argcount]:
        # HA 2025.10 to 2026.3 took the sentences and the callback as one TriggerDetails.
        details = importlib.import_module(f"{conversation.__name__}.trigger").TriggerDetails
        return register(details(sentences, trigger_callback))
    return register(sentences, trigger_callback)


async def async_handle_intent(
    hass: HomeAssistant,
    intent_type: str,
    slots: dict[str, str],
    user_input: conversation.ConversationInput,
) -> str:
    """Run one of our intents for words a trigger heard, and return what it says."""
    response = await intent.async_handle(
        hass,
        DOMAIN,
        intent_type,
        {k: {"value": v} for k, v in slots.items()},
        text_input=user_input.text,
        context=user_input.context,
        language=user_input.language,
        device_id=user_input.device_id,
        satellite_id=user_input.satellite_id,
        conversation_agent_id=user_input.agent_id,
    )
    return str(response.speech.get("plain", {}).get("speech", ""))


class NotOursError(Exception):
    """The sentences file exists and Reconnect did not write it."""


class UnusableSentencesError(Exception):
    """Our sentences would not parse: HA would then drop every English sentence."""


def _write_if_changed(path: Path, text: str | None) -> bool:
    """Write (or with None, delete) our file; return whether anything changed."""
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old is not None and not old.startswith(OWNERSHIP_LINE):
        raise NotOursError
    if old == text:
        return False
    if text is None:
        path.unlink()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_utf8_file_atomic(str(path), text)
    return True


# What the file is made from besides the names: this code and the language data.
_GENERATOR = hashlib.sha256(
    Path(__file__).read_bytes() + (Path(__file__).parent / "keywords.py").read_bytes()
).hexdigest()


def _write_sentences(
    path: Path, lang: Language, names: list[str], aliases: list[tuple[str, str]]
) -> bool:
    """Write the sentences for these names (none: delete the file); return whether it changed.

    The file records what it was made from, so the usual case (a restart, the
    same names) costs one read instead of building every sentence again.
    """
    if not names:
        return _write_if_changed(path, None)
    made_from = hashlib.sha256(
        f"{_GENERATOR}|{sorted(names)!r}|{sorted(aliases)!r}|{lang.intents!r}".encode()
    ).hexdigest()[:32]
    stamp = f"# Made from: {made_from}\n"
    if path.exists():
        head = path.read_text(encoding="utf-8")[: len(CUSTOM_SENTENCES_HEADER) + len(stamp)]
        if head == CUSTOM_SENTENCES_HEADER + stamp:
            return False
    data = custom_sentences(lang, names, aliases)
    try:
        # One file in custom_sentences/en that hassil cannot read breaks every
        # local English command in the house: never write one.
        parsed = Intents.from_dict(data)
        for intent_data in (d for i in parsed.intents.values() for d in i.data):
            _ = intent_data.sentences  # hassil parses templates when first read
    except Exception as err:
        raise UnusableSentencesError from err
    return _write_if_changed(path, CUSTOM_SENTENCES_HEADER + stamp + dump_yaml(data))


class SentencesFile:
    """Keeps <config>/custom_sentences/en/reconnect.yaml in step with the couples set up."""

    def __init__(self, hass: HomeAssistant, lang: Language) -> None:
        """Write for this language's sentences."""
        self.hass = hass
        self.lang = lang
        self.path = Path(hass.config.path(*CUSTOM_SENTENCES_FILE))
        # Two couples set up at once must not interleave read, write and reload.
        self._lock = asyncio.Lock()
        # Sentence triggers standing in for the file while Assist cannot use it.
        self._fallback: list[CALLBACK_TYPE] = []
        # Which stand-in triggers heard an utterance, by the order of their groups.
        self._claims: dict[int, list[int]] = {}

    @property
    def falling_back(self) -> bool:
        """Tell whether sentence triggers stand in for the file."""
        return bool(self._fallback)

    def couples(self, removing: str | None = None) -> list[Couple]:
        """Return the partners of every enabled couple (but `removing`)."""
        return [
            entry_couple(entry)
            for entry in self.hass.config_entries.async_entries(DOMAIN)
            if entry.entry_id != removing and entry.disabled_by is None
        ]

    async def async_update(self, removing: str | None = None) -> None:
        """Write the sentences for the enabled couples (none left: delete the file).

        HA reads them again only when the file changed, so a restart costs nothing.
        """
        async with self._lock:
            couples = self.couples(removing)
            names = [couple.name(key) for couple in couples for key in PARTNERS]
            aliases = [
                (alias, couple.name(key))
                for couple in couples
                for key in PARTNERS
                for alias in couple.aliases(key)
            ]
            try:
                # Parsing every template for its keywords takes a while: not on the loop.
                changed = await self.hass.async_add_executor_job(
                    _write_sentences, self.path, self.lang, names, aliases
                )
            except NotOursError:
                LOGGER.warning("%s was not written by Reconnect; leaving it alone", self.path)
                async_report_sentences_issue(self.hass, "sentences_file_not_ours", str(self.path))
                self._async_fall_back(couples)
                return
            except UnusableSentencesError as err:
                LOGGER.error("Reconnect's sentences would not parse; the file is left as it was")
                async_report_sentences_issue(
                    self.hass, "sentences_unusable", type(err.__cause__).__name__
                )
                return
            if changed or self._fallback:
                await self._async_reload(couples)

    async def _async_reload(self, couples: list[Couple]) -> None:
        LOGGER.debug("Custom sentences updated; asking Assist to reload them")
        try:
            # Only our language: without one, HA reloads every language and, on
            # 2026.x, re-reads the user's configuration.yaml too.
            await self.hass.services.async_call(
                conversation.DOMAIN, "reload", {"language": LANGUAGE}, blocking=True
            )
        except Exception as err:  # noqa: BLE001 - whatever broke HA's reload, keep listening
            LOGGER.warning(
                "Assist could not reload its sentences (%s); Reconnect listens through "
                "sentence triggers instead",
                type(err).__name__,
            )
            async_report_sentences_issue(self.hass, "sentences_not_reloaded", type(err).__name__)
            self._async_fall_back(couples)
            return
        async_clear_sentences_issue(self.hass)
        self._async_fall_back([])

    @callback
    def async_unload(self) -> None:
        """Remove any stand-in triggers."""
        self._async_fall_back([])

    @callback
    def _async_fall_back(self, couples: list[Couple]) -> None:
        """Hear the always-live sentences as sentence triggers (none with no couples)."""
        for remove in self._fallback:
            remove()
        self._fallback = []
        if not couples:
            return
        alternatives = partner_alternatives(
            spoken for couple in couples for key in PARTNERS for spoken in couple.spoken(key)
        )
        order = 0
        for intent_type, groups in self.lang.intents.items():
            for group in groups:
                sentences = [t.replace("<partner>", alternatives) for t in group["sentences"]]
                handler = partial(self._async_on_fallback, order, intent_type, group)
                self._fallback.append(async_register_trigger(self.hass, sentences, handler))
                order += 1

    async def _async_first_claim(
        self, order: int, user_input: conversation.ConversationInput
    ) -> bool:
        """Whether this trigger is the first in the sentences' order to hear these words.

        HA runs every matching trigger at once, and a story ("I asked ... and he
        listened") is also heard by a shorter sentence; the first group in the
        language file speaks for all, so one utterance logs once.
        """
        key = id(user_input)
        self._claims.setdefault(key, []).append(order)
        await asyncio.sleep(0)  # every matching trigger has started, and claimed
        claims = self._claims.get(key)
        if claims is None or order != min(claims):
            return False
        del self._claims[key]
        return True

    async def _async_on_fallback(
        self,
        order: int,
        intent_type: str,
        group: dict[str, Any],
        user_input: conversation.ConversationInput,
        result: Any,
    ) -> str | None:
        """Run the intent a stand-in trigger stands for, with the slots it would have had."""
        if not await self._async_first_claim(order, user_input):
            return None
        slots = {k: str(v) for k, v in group.get("slots", {}).items()}
        # A trigger cannot capture which alternative was said: the names fill the
        # group's roles in the order they were spoken, as <partner> does in the template.
        couples = [
            (entry.entry_id, entry_couple(entry))
            for entry in self.hass.config_entries.async_loaded_entries(DOMAIN)
        ]
        by_id = dict(couples)
        said: list[str] = []
        for entry_id, key in named_partners(user_input.text, couples):
            name = by_id[entry_id].name(key)
            if not said or said[-1] != name:  # one name in two couples, said once
                said.append(name)
        slots.update(zip(group.get("names", ()), said, strict=False))
        for heard in ("other", "reaction"):  # free words the handler reads
            if heard in result.entities:
                slots[heard] = str(result.entities[heard].value)
        return await async_handle_intent(self.hass, intent_type, slots, user_input)
