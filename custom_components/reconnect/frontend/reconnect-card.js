// Reconnect dashboard card: one dependency-free module, served by the integration.
// Plain HTMLElement + shadow DOM (the HA frontend does not export Lit).
// Finds the couple's entities by their translation keys, so renames don't break it.

const KEYS = {
  streak: "check_in_streak",
  sinceRepair: "days_since_repair",
  overdue: "repair_overdue",
  today: "checked_in_today",
  cycle: "cycle",
  responsiveness: "responsiveness_7d",
  connection: "connection_7d",
};
const REFERENCE = 86; // Gottman: couples who stayed married turned toward 86% of bids.

const CYCLE_WORDS = {
  connected: () => "You've been turning toward each other.",
  pursue_withdraw: (p, w) =>
    `${p} has been doing more of the reaching. A small step from ${w} can mean a lot.`,
  burned_out_pursuer_risk: (p) =>
    `${p} has been reaching less lately, after reaching a lot. A gentle check-in may help.`,
  freeze_and_flee: () => "You've both pulled back a little. Small bids count.",
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
    const order = Object.keys(this._state(KEYS.cycle)?.attributes.partners || resp);
    return order.filter((name) => resp[name]).map((name) => ({ name, resp: resp[name], conn: conn[name] }));
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
                  .join("")}</div>`
              : `<button data-action="repaired">We repaired</button>`
          }
        </div>`
      : "";

    const sinceText =
      days === null ? "No repair logged yet" : days === 0 ? "Repaired today" : `${days} day${days === 1 ? "" : "s"} since your last repair`;

    const bars = partners
      .map((p) => {
        const value = p.resp.state;
        const known = !["unknown", "unavailable"].includes(value);
        const pct = known ? Math.max(0, Math.min(100, Number(value))) : 0;
        return `<div class="bar-row">
          <div class="label"><span>${esc(p.name)} turned toward</span><span class="value">${known ? `${Math.round(pct)}%` : "–"}</span></div>
          <div class="bar" aria-label="${esc(p.name)} turned toward ${known ? Math.round(pct) : "no"} percent">
            <div class="fill" style="width:${pct}%"></div>
            <div class="ref" style="left:${REFERENCE}%"></div>
          </div>
        </div>`;
      })
      .join("");

    const sentence = this._cycleSentence(cycle, partners);
    return `
      <div class="head">
        <div class="title">${esc(this._hass.devices?.[this._found.device]?.name || "Reconnect")}</div>
        ${checkIn}
        <button class="primary" data-action="check_in">${today ? "Check in again" : "Start check-in"}</button>
      </div>
      ${repair}
      <div class="since">${esc(sinceText)}</div>
      <section>
        <h3>Turning toward, last 7 days</h3>
        ${bars}
        <div class="note">Line: ${REFERENCE}%, a reference from Gottman's research, not a grade.</div>
      </section>
      <section>
        <h3>How connected you felt, 14 nights</h3>
        ${this._sparkline(partners)}
      </section>
      ${sentence ? `<div class="cycle">${esc(sentence)}</div>` : ""}
      <section>
        <h3>Log a bid</h3>
        ${partners
          .map(
            (p, i) => `<div class="row"><span>${esc(p.name)} reached out:</span>
              <button class="small" data-bid="${i}" data-response="toward">Turned toward</button>
              <button class="small" data-bid="${i}" data-response="away">Turned away</button></div>`,
          )
          .join("")}
      </section>`;
  }

  _cycleSentence(cycle, partners) {
    if (!cycle) return "";
    const words = CYCLE_WORDS[cycle.state];
    if (!words) return "";
    const pursuer = cycle.attributes.pursuer;
    const other = partners.map((p) => p.name).find((n) => n !== pursuer);
    return words(pursuer, other);
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
        this._call("log_repair", { initiator: partners[Number(button.dataset.repair)].name });
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
