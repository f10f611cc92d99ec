// Reconnect dashboard card: one dependency-free module, served by the integration.
// Plain HTMLElement + shadow DOM (the HA frontend does not export Lit).
// Finds the couple's entities by their translation keys, so renames don't break it.

const KEYS = {
  streak: "check_in_streak",
  sinceRepair: "days_since_repair",
  overdue: "repair_overdue",
  today: "checked_in_today",
  cycle: "cycle",
  support: "support_suggested",
  bids: "bids_made_7d",
  responsiveness: "responsiveness_7d",
  connection: "connection_7d",
};
// Gottman's newlywed study: couples still married six years on had turned
// toward each other's bids 86% of the time (those who divorced, 33%). A
// couple-level rate counted by observers, so the card shows only the couple's.
const REFERENCE = 86;
// Below this many bids in 7 days a rate is noise: show none.
const MIN_BIDS = 5;

// Every word the card shows. This is a shared screen: it never names or grades
// one partner; the cycle is the problem, not a person.
const WORDS = {
  cycle: {
    connected: "You've been turning toward each other.",
    pursue_withdraw:
      "One of you has been reaching more while the other steps back. It's a common cycle, and the cycle is the problem, not either of you. Small steps toward each other help.",
    burned_out_pursuer_risk:
      "Reaching out has gone quiet lately, after a stretch when bids were missed. Quiet doesn't always mean fine. Go gently with each other, and talking with a couples therapist early can help.",
    freeze_and_flee:
      "You've both been reaching less lately. This can happen quietly, and it matters. Any small bid counts, and talking with a couples therapist early can help.",
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
    "Things have felt hard for a while. Many couples find it helps to talk with a couples therapist early, for example one trained in EFT or the Gottman method. This is a suggestion, not a diagnosis. If either of you feels afraid of or controlled by the other, couples therapy is not the right first step: please reach out to local emergency services or a domestic-violence hotline.",
  safety:
    "Reconnect is not therapy. If you ever feel unsafe at home, contact local emergency services or a domestic-violence hotline.",
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
    // Per-partner sensors carry the partner's name; the cycle sensor lists the
    // partners in setup order (entity ids sort alphabetically, which is not it).
    const byName = (key) =>
      Object.fromEntries(
        (this._found.ids[key] || [])
          .map((id) => this._hass.states[id])
          .filter(Boolean)
          .map((s) => [s.attributes.partner, s]),
      );
    const resp = byName(KEYS.responsiveness);
    const conn = byName(KEYS.connection);
    const bids = byName(KEYS.bids);
    const order = Object.keys(this._state(KEYS.cycle)?.attributes.partners || resp);
    return order
      .filter((name) => resp[name])
      .map((name) => ({ name, resp: resp[name], conn: conn[name], bids: bids[name] }));
  }

  _body() {
    const streak = this._state(KEYS.streak);
    const since = this._state(KEYS.sinceRepair);
    const overdue = this._state(KEYS.overdue)?.state === "on";
    const today = this._state(KEYS.today)?.state === "on";
    const cycle = this._state(KEYS.cycle);
    const partners = this._partners();
    const nights = Number(streak?.state) || 0;
    const days = since && !["unknown", "unavailable"].includes(since.state) ? Number(since.state) : null;

    const checkIn = today
      ? `<div class="status done">You checked in tonight${nights ? `: ${nights} night${nights === 1 ? "" : "s"} running` : ""}.</div>`
      : `<div class="status">${nights ? `${nights} night${nights === 1 ? "" : "s"} running. ` : ""}Missing a night is not failure.</div>`;

    const repair = overdue
      ? `<div class="banner" role="status">
          <div>Something has been open between you for a while. When you're both ready, a small step helps.</div>
          ${
            this._choosingRepair
              ? `<div class="row"><span>Who reached out first?</span>${partners
                  .map((p, i) => `<button class="small" data-repair="${i}">${esc(p.name)}</button>`)
                  .join("")}<button class="small" data-repair="both">Both of us</button></div>`
              : `<button data-action="repaired">We repaired</button>`
          }
        </div>`
      : "";

    const sinceText =
      days === null ? "No repair logged yet" : days === 0 ? "Repaired today" : `${days} day${days === 1 ? "" : "s"} since your last repair`;

    const support = this._state(KEYS.support)?.state === "on";
    const voices = cycle && cycle.state !== "insufficient_data" ? WORDS.voices[cycle.attributes.voices] : "";
    const sentence = voices || (cycle ? WORDS.cycle[cycle.state] || "" : "");
    return `
      <div class="head">
        <div class="title">${esc(this._hass.devices?.[this._found.device]?.name || "Reconnect")}</div>
        ${checkIn}
        <button class="primary" data-action="check_in">${today ? "Check in again" : "Start check-in"}</button>
      </div>
      ${repair}
      <div class="since">${esc(sinceText)}</div>
      <section>
        <h3>Turning toward each other, last 7 days</h3>
        ${this._together(partners)}
      </section>
      <section>
        <h3>How connected you felt, 14 nights</h3>
        ${this._sparkline(partners)}
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
      <div class="note safety">${esc(WORDS.safety)}</div>`;
  }

  // The couple's rate, never a partner's: of all bids either of you made in 7
  // days, how many were turned toward. Nothing below MIN_BIDS.
  _together(partners) {
    let bids = 0;
    let toward = 0;
    for (const p of partners) {
      const other = partners.find((o) => o !== p);
      const received = Number(other?.bids?.state) || 0;
      const rate = Number(p.resp?.state);
      bids += Number(p.bids?.state) || 0;
      if (received && Number.isFinite(rate)) toward += (rate / 100) * received;
    }
    if (bids < MIN_BIDS) return `<div class="note">${esc(WORDS.tooFew(bids))}</div>`;
    const pct = Math.max(0, Math.min(100, Math.round((100 * toward) / bids)));
    return `<div class="bar-row">
        <div class="label"><span>Of ${bids} bids, turned toward</span><span class="value">${pct}%</span></div>
        <div class="bar" aria-label="Together you turned toward ${pct} percent of ${bids} bids">
          <div class="fill" style="width:${pct}%"></div>
          <div class="ref" style="left:${REFERENCE}%"></div>
        </div>
      </div>
      <div class="note">${esc(WORDS.reference)}</div>`;
  }

  _sparkline(partners) {
    const width = 280;
    const height = 60;
    const series = partners.map((p) => p.conn?.attributes.nightly_14d || []);
    if (!series.some((s) => s.some((v) => v !== null && v !== undefined))) {
      return `<div class="note">Check in to see this fill up.</div>`;
    }
    const x = (i) => 6 + (i * (width - 12)) / 13;
    const y = (v) => height - 6 - ((v - 1) * (height - 12)) / 4;
    const colours = ["var(--primary-color)", "var(--accent-color, var(--secondary-text-color))"];
    const lines = series
      .map((values, s) => {
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
          .map((v, i) => (v === null || v === undefined ? "" : `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colours[s]}"/>`))
          .join("");
        return `<path d="${d}" fill="none" stroke="${colours[s]}" stroke-width="2.5" stroke-linejoin="round"/>${dots}`;
      })
      .join("");
    const legend = partners
      .map((p, s) => `<span><i style="background:${colours[s]}"></i>${esc(p.name)}</span>`)
      .join("");
    return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="Nightly connection ratings, last 14 nights">
        <line x1="0" x2="${width}" y1="${y(3)}" y2="${y(3)}" class="mid"/>${lines}</svg>
      <div class="legend">${legend}</div>`;
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
  .legend { display: flex; gap: 16px; font-size: 14px; color: var(--secondary-text-color); }
  .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 6px; margin-right: 6px; vertical-align: -1px; }
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
