// Reconnect dashboard card: one dependency-free module, served by the integration.
// Plain HTMLElement + shadow DOM (the HA frontend does not export Lit).
// Finds the couple's entities by their translation keys, so renames don't break it.

// Only couple-level entities: each partner's figures are diagnostic entities,
// off by default, and never on this shared screen.
const KEYS = {
  nights: "nights_checked_in",
  toward: "turned_toward",
  open: "open_ruptures",
  overdue: "repair_overdue",
  today: "checked_in_today",
  cycle: "cycle",
  support: "support_suggested",
  paused: "reminders_paused",
};
// Gottman's newlywed study: couples still married six years on had turned
// toward each other's bids 86% of the time (those who divorced, 33%). A
// couple-level rate counted by observers, so the card shows only the couple's.
const REFERENCE = 86;
// Below this many bids in 7 days a rate is noise: the sensor gives none.
const MIN_BIDS = 5;
const SNOOZE_DAYS = 7;

// Every word the card shows. This is a shared screen: it never names or grades
// one partner; the cycle is the problem, not a person.
const WORDS = {
  cycle: {
    connected: "You've been turning toward each other.",
    pursue_withdraw:
      "One of you has been reaching more while the other steps back. It's a common cycle, and the cycle is the problem, not either of you. Small steps toward each other help.",
    // Worded as what was logged: Reconnect sees only what you tell it.
    burned_out_pursuer_risk:
      "Fewer bids have been logged lately, after a stretch when many were missed. Quiet doesn't always mean fine. Go gently with each other; any small bid counts.",
    freeze_and_flee:
      "Fewer bids have been logged by both of you lately. This can happen quietly, and it matters. Any small bid counts.",
  },
  // Said instead of the cycle while the picture rests on one voice (the cycle
  // sensor's "voices"): roles need both of you.
  voices: {
    one_sided:
      "Most of what's here was logged by one of you. The picture fills in when you both log, and logging your own part counts too.",
    unrecognised:
      "Most of what's here was logged without knowing which of you said it. Reconnect can tell you apart on your own phone or satellite, or when you say your name as it asks.",
  },
  support:
    "Things have felt hard for a while. Many couples find it helps to talk with a couples therapist early; this is a suggestion, not a diagnosis. Going on your own helps too, if only one of you is ready. To find someone: the ICEEFT directory (iceeft.com) lists therapists trained in Emotionally Focused Therapy, and the Gottman Referral Network (gottman.com) lists Gottman-trained ones. If either of you feels controlled, watched or afraid of the other, even with no violence, couples therapy is not the right first step: talk with a domestic-violence helpline first. If anyone is in danger now, call emergency services.",
  safety:
    "Reconnect is not therapy. If you ever feel unsafe at home, contact local emergency services or a domestic-violence helpline.",
  helpline: (number) => `Helpline: ${number}`,
  stillOpen: "Something has been open between you for a while. Is this still open between you?",
  open: (n) => (n === 1 ? "One thing is still open between you." : `${n} things are still open between you.`),
  nothingOpen: "Nothing is open between you right now.",
  nights: (n) => `Checked in on ${n} of the last 14 nights.`,
  paused: (until) => `Reminders are paused until ${until}.`,
  reference: `Line: ${REFERENCE}%, how often couples who stayed together turned toward each other in Gottman's newlywed study, as observers counted it. A reference, not a grade.`,
  tooFew: (n) =>
    `${n ? `${n} bid${n === 1 ? "" : "s"} logged this week. ` : ""}A rate from only a few bids is mostly noise, so it shows from ${MIN_BIDS}.`,
};

const esc = (text) =>
  String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

class ReconnectCard extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this._config = {};
    this._seen = null; // the state objects last rendered, to skip needless renders
    this._choosingRepair = false;
  }

  static getStubConfig() {
    return {};
  }

  static getConfigForm() {
    return {
      schema: [
        { name: "device", selector: { device: { integration: "reconnect" } } },
        {
          name: "satellite",
          selector: { entity: { domain: "assist_satellite" } },
        },
      ],
      computeLabel: (s) =>
        s.name === "device" ? "Couple (only if you have several)" : "Satellite for the check-in",
    };
  }

  setConfig(config) {
    this._config = { ...(config || {}) };
    this._seen = null;
    if (this._hass) this._render();
  }

  set hass(hass) {
    this._hass = hass;
    const entities = this._entities();
    const states = entities ? Object.values(entities.ids).flat().map((id) => hass.states[id]) : [];
    // Re-render only when one of our entities changed (HA hands us every state change).
    if (this._seen && states.length === this._seen.length && states.every((s, i) => s === this._seen[i])) {
      return;
    }
    this._seen = states;
    this._render();
  }

  getCardSize() {
    return 7;
  }

  getGridOptions() {
    return { columns: 12, rows: 7, min_columns: 6, min_rows: 5 };
  }

  // Find the couple's device and its entities, by translation key.
  _entities() {
    const hass = this._hass;
    if (!hass || !hass.entities) return null;
    const ours = Object.values(hass.entities).filter((e) => e.platform === "reconnect");
    const devices = [...new Set(ours.map((e) => e.device_id))];
    const device = this._config.device || (devices.length === 1 ? devices[0] : null);
    if (!device) return devices.length > 1 ? { several: true } : null;
    const ids = {};
    for (const entry of ours.filter((e) => e.device_id === device)) {
      (ids[entry.translation_key] ||= []).push(entry.entity_id);
    }
    const entry = hass.devices?.[device]?.config_entries?.[0];
    return { device, entry, ids };
  }

  _state(key, index = 0) {
    const id = this._found?.ids[key]?.[index];
    return id ? this._hass.states[id] : undefined;
  }

  _call(service, data = {}) {
    const entry = this._found?.entry;
    return this._hass.callService("reconnect", service, entry ? { ...data, config_entry_id: entry } : data);
  }

  _render() {
    const found = (this._found = this._entities());
    if (!found || found.several) {
      const text = found?.several
        ? "Several couples are set up. Choose one in the card's settings."
        : "Reconnect is not set up yet. Add it under Settings → Devices & services.";
      this.shadowRoot.innerHTML = `${STYLE}<ha-card><div class="empty">${esc(text)}</div></ha-card>`;
      return;
    }
    const t0 = performance.now();
    this.shadowRoot.innerHTML = `${STYLE}<ha-card>${this._body()}</ha-card>`;
    this._wire();
    this.lastRenderMs = performance.now() - t0;
  }

  _partners() {
    // The names only, in setup order, for the buttons: the cycle sensor lists them.
    return (this._state(KEYS.cycle)?.attributes.partners || []).map((name) => ({ name }));
  }

  _body() {
    const nightsState = this._state(KEYS.nights);
    const overdue = this._state(KEYS.overdue)?.state === "on";
    const today = this._state(KEYS.today)?.state === "on";
    const cycle = this._state(KEYS.cycle);
    const supportState = this._state(KEYS.support);
    const partners = this._partners();
    const nights = Number(nightsState?.state) || 0;
    const open = Number(this._state(KEYS.open)?.state) || 0;
    const askStillOpen = supportState?.attributes.question === "still_open";

    const checkIn = `<div class="status${today ? " done" : ""}">${esc(
      today ? `You checked in tonight. ${WORDS.nights(nights)}` : `${WORDS.nights(nights)} Missing a night is not failure.`,
    )}</div>`;

    const whoFirst = `<div class="row"><span>Who reached out first?</span>${partners
      .map((p, i) => `<button class="small" data-repair="${i}">${esc(p.name)}</button>`)
      .join("")}<button class="small" data-repair="both">Both of us</button></div>`;
    let repair = "";
    if (askStillOpen || overdue) {
      // Before support is suggested on an open rupture alone, ask: a repair
      // nobody logged is not proof of a hard time.
      const question = askStillOpen ? WORDS.stillOpen : "Something has been open between you for a while. When you're both ready, a small step helps.";
      const buttons = this._choosingRepair
        ? whoFirst
        : `<div class="row"><button data-action="repaired">We repaired</button>${
            askStillOpen ? `<button data-action="still_open">Still open</button>` : ""
          }</div>`;
      repair = `<div class="banner" role="status"><div>${esc(question)}</div>${buttons}</div>`;
    }
    const openText = open ? WORDS.open(open) : WORDS.nothingOpen;

    const support = supportState?.state === "on";
    const helpline = supportState?.attributes.helpline;
    const voices = cycle && cycle.state !== "insufficient_data" ? WORDS.voices[cycle.attributes.voices] : "";
    const sentence = voices || (cycle ? WORDS.cycle[cycle.state] || "" : "");
    const paused = this._state(KEYS.paused)?.attributes.snoozed_until;
    return `
      <div class="head">
        <div class="title">${esc(this._hass.devices?.[this._found.device]?.name || "Reconnect")}</div>
        ${checkIn}
        <button class="primary" data-action="check_in">${today ? "Check in again" : "Start check-in"}</button>
      </div>
      ${repair}
      <div class="since">${esc(openText)}</div>
      <section>
        <h3>Turning toward each other, last 7 days</h3>
        ${this._together()}
      </section>
      <section>
        <h3>How connected you felt together, 14 nights</h3>
        ${this._sparkline(nightsState?.attributes.nightly_14d || [])}
      </section>
      ${sentence ? `<div class="cycle">${esc(sentence)}</div>` : ""}
      ${support ? `<div class="support" role="note">${esc(WORDS.support)}</div>` : ""}
      <section>
        <h3>Log a bid</h3>
        ${partners
          .map(
            (p, i) => `<div class="row"><span>${esc(p.name)} reached out:</span>
              <button class="small" data-bid="${i}" data-response="toward">Turned toward</button>
              <button class="small" data-bid="${i}" data-response="away">Turned away</button></div>`,
          )
          .join("")}
      </section>
      <div class="row reminders">${
        paused
          ? `<span>${esc(WORDS.paused(paused))}</span><button class="small" data-snooze="0">Resume reminders</button>`
          : `<button class="small" data-snooze="${SNOOZE_DAYS}">Pause reminders for a week</button>`
      }</div>
      <div class="note safety">${esc(WORDS.safety)}${helpline ? ` ${esc(WORDS.helpline(helpline))}` : ""}</div>`;
  }

  // The couple's share, never a partner's: of all bids either of you made in 7
  // days, how many were turned toward. The sensor gives none below MIN_BIDS.
  _together() {
    const state = this._state(KEYS.toward);
    const bids = Number(state?.attributes.bids_7d) || 0;
    const pct = Number(state?.state);
    if (bids < MIN_BIDS || !Number.isFinite(pct)) return `<div class="note">${esc(WORDS.tooFew(bids))}</div>`;
    const shown = Math.max(0, Math.min(100, Math.round(pct)));
    return `<div class="bar-row">
        <div class="label"><span>Of ${bids} bids, turned toward</span><span class="value">${shown}%</span></div>
        <div class="bar" aria-label="Together you turned toward ${shown} percent of ${bids} bids">
          <div class="fill" style="width:${shown}%"></div>
          <div class="ref" style="left:${REFERENCE}%"></div>
        </div>
      </div>
      <div class="note">${esc(WORDS.reference)}</div>`;
  }

  // One line for the couple: each night's mean rating of whoever checked in.
  _sparkline(values) {
    const width = 280;
    const height = 60;
    if (!values.some((v) => v !== null && v !== undefined)) {
      return `<div class="note">Check in to see this fill up.</div>`;
    }
    const x = (i) => 6 + (i * (width - 12)) / 13;
    const y = (v) => height - 6 - ((v - 1) * (height - 12)) / 4;
    let d = "";
    let pen = false;
    values.forEach((v, i) => {
      if (v === null || v === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      pen = true;
    });
    const dots = values
      .map((v, i) => (v === null || v === undefined ? "" : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="var(--primary-color)"/>`))
      .join("");
    return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="How connected you felt together, last 14 nights">
        <line x1="0" x2="${width}" y1="${y(3)}" y2="${y(3)}" class="mid"/>
        <path d="${d}" fill="none" stroke="var(--primary-color)" stroke-width="2.5" stroke-linejoin="round"/>${dots}</svg>`;
  }

  _wire() {
    const root = this.shadowRoot;
    const partners = this._partners();
    root.querySelector('[data-action="check_in"]')?.addEventListener("click", () => {
      const satellite = this._config.satellite;
      this._call("start_check_in", satellite ? { satellite } : {});
    });
    root.querySelector('[data-action="repaired"]')?.addEventListener("click", () => {
      this._choosingRepair = true;
      this._render();
    });
    root.querySelector('[data-action="still_open"]')?.addEventListener("click", () => this._call("still_open"));
    root.querySelectorAll("[data-snooze]").forEach((button) =>
      button.addEventListener("click", () => this._call("snooze_reminders", { days: Number(button.dataset.snooze) })),
    );
    root.querySelectorAll("[data-repair]").forEach((button) =>
      button.addEventListener("click", () => {
        this._choosingRepair = false;
        const who = button.dataset.repair;
        this._call("log_repair", { initiator: who === "both" ? "both" : partners[Number(who)].name });
        this._render();
      }),
    );
    root.querySelectorAll("[data-bid]").forEach((button) =>
      button.addEventListener("click", () =>
        this._call("log_bid", {
          bidder: partners[Number(button.dataset.bid)].name,
          response: button.dataset.response,
        }),
      ),
    );
  }
}

const STYLE = `<style>
  ha-card { padding: 20px; color: var(--primary-text-color); font-size: 18px; line-height: 1.4; }
  .empty { padding: 8px; color: var(--secondary-text-color); }
  .head { display: grid; gap: 8px; }
  .title { font-size: 24px; font-weight: 600; }
  .status { color: var(--secondary-text-color); }
  .status.done { color: var(--success-color, var(--primary-color)); }
  button { min-height: 48px; min-width: 48px; padding: 0 18px; border-radius: 24px; border: 1px solid var(--divider-color);
    background: var(--card-background-color); color: var(--primary-text-color); font-size: 17px; cursor: pointer; }
  button.primary { background: var(--primary-color); color: var(--text-primary-color, #fff); border: none; font-size: 20px; min-height: 56px; }
  button.small { font-size: 16px; }
  .banner { margin-top: 16px; padding: 14px; border-radius: 12px; display: grid; gap: 10px;
    background: color-mix(in srgb, var(--warning-color, #ffa600) 16%, transparent); }
  .since { margin-top: 14px; font-size: 20px; }
  section { margin-top: 18px; }
  h3 { margin: 0 0 8px; font-size: 16px; font-weight: 500; color: var(--secondary-text-color); }
  .bar-row { margin-bottom: 10px; }
  .label { display: flex; justify-content: space-between; }
  .value { font-weight: 600; }
  .bar { position: relative; height: 14px; border-radius: 7px; background: var(--divider-color); overflow: visible; }
  .fill { height: 100%; border-radius: 7px; background: var(--primary-color); }
  .ref { position: absolute; top: -4px; bottom: -4px; width: 2px; background: var(--secondary-text-color); }
  .note { font-size: 14px; color: var(--secondary-text-color); }
  svg { width: 100%; height: 70px; display: block; }
  svg .mid { stroke: var(--divider-color); stroke-dasharray: 4 4; }
  .reminders { margin-top: 16px; color: var(--secondary-text-color); }
  .cycle { margin-top: 16px; font-style: italic; }
  .support { margin-top: 16px; padding: 14px; border-radius: 12px;
    background: color-mix(in srgb, var(--info-color, #039be5) 12%, transparent); }
  .safety { margin-top: 16px; }
  .row { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; margin-bottom: 8px; }
</style>`;

const define = () => {
  if (customElements.get("reconnect-card")) return;
  customElements.define("reconnect-card", ReconnectCard);
  window.customCards = window.customCards || [];
  window.customCards.push({
    type: "reconnect-card",
    name: "Reconnect",
    description: "Check-ins, repair, turning toward and your cycle, for a wall tablet.",
    preview: true,
  });
};

// HA loads this module in parallel with its own app, and the app replaces
// window.customElements as it starts (a scoped-registry polyfill). A card
// defined before that is lost, so inside HA wait until HA's own element exists.
if (document.querySelector("home-assistant") && !customElements.get("home-assistant")) {
  const started = Date.now();
  const wait = setInterval(() => {
    if (customElements.get("home-assistant") || Date.now() - started > 60000) {
      clearInterval(wait);
      define();
    }
  }, 25);
} else {
  define();
}
