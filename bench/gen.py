#!/usr/bin/env python3
"""Generate the benchmark sites for action-lint (Python 3.11, stdlib only).

Deterministic from --seed: the same seed, scale, pages and library files give
byte-identical sites. Two sites are written under --out:

  sparse/  tens of thousands of ordinary HTML pages and JS files; about 2 % of
           them mention the Talkative widget (config snippet + loader, chat
           buttons, wrapper helpers, some misspelt names, some unguarded
           calls), mixed with large real-world library JS copied from npm
           packages several times under different names.
  dense/   every page embeds the widget config snippet, the loader and chat
           buttons, as real widget sites do; shared JS defines wrapper
           functions that pages and other scripts call.

Each site gets an action-lint.toml, the exported actions config
(talkative-actions.yaml) and a JSON copy of the names (talkative-actions.json,
read by the ESLint comparison rule). Beside the sites, STAMP.json records the
parameters and sizes, and sparse-explicit.txt names 5 files of the sparse site
for the explicit-files (pre-commit) measurement.

  python3 bench/gen.py --seed 42 --scale 0.05 --out bench/work/sites/s42-x0.05
  python3 bench/gen.py --site dense --pages 2000 --out bench/work/sites/dense-2k
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
from pathlib import Path

# Sizes at --scale 1.0 (a few hundred MB per site).
FULL = {
    "sparse": {"pages": 20000, "js": 8000, "libs": 60},
    "dense": {"pages": 16000, "js": 2000, "libs": 24},
}
WIDGET_SHARE_SPARSE = 0.02

ACTIONS = [
    ("start-chat", "start-interaction", "chat"),
    ("start-video", "start-interaction", "video"),
    ("start-callback", "start-interaction", "callback"),
    ("support-chat", "start-interaction", "chat"),
    ("sales-chat", "start-interaction", "chat"),
    ("billing-chat", "start-interaction", "chat"),
    ("book-demo", "start-interaction", "form"),
    ("leave-message", "start-interaction", "email"),
    ("open-faq", "open-menu", None),
    ("start-cobrowse", "start-interaction", "cobrowse"),
    ("feedback-survey", "start-survey", None),
    ("out-of-hours", "open-menu", None),
]
NAMES = [a[0] for a in ACTIONS]
# Misspelt or stale names that appear in real code.
BAD_NAMES = ["strat-chat", "start_chat", "start-vidoe", "suport-chat", "book-demmo", "legacy-chat", "start-callbak", "opne-faq"]

# Library files copied from npm packages (relative to node_modules).
LIB_FILES = [
    "lodash/lodash.js",
    "lodash/lodash.min.js",
    "moment/moment.js",
    "moment/min/moment-with-locales.js",
    "jquery/dist/jquery.js",
    "jquery/dist/jquery.min.js",
    "three/build/three.module.js",
    "three/build/three.core.js",
    "d3/dist/d3.js",
    "d3/dist/d3.min.js",
    "react-dom/umd/react-dom.development.js",
    "react-dom/umd/react-dom.production.min.js",
]

WORDS = (
    "the of and to in is for on with as by at from that this our your you we it be are was can will more "
    "service services customer customers support product products team teams data account accounts order orders "
    "delivery price pricing plan plans business company solution solutions platform online new best help time "
    "year years people home page contact about news blog article story guide guides report reports market "
    "energy insurance travel health finance bank banking mortgage loan savings card cards claim claims policy "
    "policies quote quotes booking bookings ticket tickets store stores shop offer offers deal deals free easy "
    "fast secure simple smart local global digital mobile app apps update updates feature features review "
    "reviews community partner partners research learn discover explore manage track compare choose find "
    "get start build create design develop deliver improve grow save protect connect share enjoy visit "
    "quality value experience process information question questions answer answers support detail details "
    "team member members office offices location locations city region country world industry industries "
    "sustainability future today tomorrow week month weekend morning evening customer-first award-winning "
    "trusted leading independent professional expert experts advice advisers specialist specialists"
).split()

CSS_PROPS = ["margin", "padding", "color", "background", "font-size", "line-height", "display", "border", "width", "max-width", "gap", "grid-template-columns"]
JS_VERBS = ["load", "render", "update", "fetch", "parse", "format", "toggle", "show", "hide", "init", "build", "sync", "validate", "track", "select", "apply", "reset", "handle", "compute", "resolve"]
JS_NOUNS = ["Menu", "Cart", "Price", "Slider", "Tabs", "Modal", "Form", "Filter", "Results", "Map", "Gallery", "Banner", "Cookie", "Search", "Account", "Basket", "Quote", "Calendar", "Table", "Chart", "Video", "Accordion", "Toast", "Header", "Footer"]


class Gen:
    def __init__(self, seed: int, site: str):
        self.seed = seed
        self.site = site
        rng = self.rng("pools")
        self.paragraphs = [self._paragraph(rng) for _ in range(1500)]
        self.titles = [self._title(rng) for _ in range(800)]
        self.js_funcs = [self._js_function(rng, i) for i in range(1200)]
        self.css_blocks = [self._css(rng) for _ in range(200)]

    def rng(self, *key) -> random.Random:
        # str seeds are hashed with SHA-512: stable across runs and Python versions.
        return random.Random("|".join([str(self.seed), self.site, *map(str, key)]))

    # ---------- text pools ----------
    def _sentence(self, rng: random.Random) -> str:
        w = rng.choices(WORDS, k=rng.randint(6, 22))
        return w[0].capitalize() + " " + " ".join(w[1:]) + rng.choice([".", ".", ".", "!", "?"])

    def _paragraph(self, rng: random.Random) -> str:
        return " ".join(self._sentence(rng) for _ in range(rng.randint(2, 7)))

    def _title(self, rng: random.Random) -> str:
        return " ".join(rng.choices(WORDS, k=rng.randint(2, 6))).title()

    def _css(self, rng: random.Random) -> str:
        sel = rng.choice([".card", ".hero", ".nav a", ".btn", "main article", ".grid > li", "footer .links", ".price-table td"])
        props = "; ".join(f"{p}: {rng.randint(0, 48)}px" for p in rng.sample(CSS_PROPS, rng.randint(2, 6)))
        return f"{sel}{rng.randint(1, 99)} {{ {props}; }}"

    def _js_function(self, rng: random.Random, i: int) -> str:
        verb, noun = rng.choice(JS_VERBS), rng.choice(JS_NOUNS)
        name = f"{verb}{noun}{i}"
        kind = rng.randrange(6)
        if kind == 0:
            return (
                f"function {name}(root, options) {{\n"
                f"  var opts = Object.assign({{ delay: {rng.randint(0, 500)}, selector: '.{noun.lower()}' }}, options || {{}});\n"
                f"  var items = Array.prototype.slice.call(root.querySelectorAll(opts.selector));\n"
                f"  items.forEach(function (el, idx) {{\n"
                f"    el.setAttribute('data-index', String(idx));\n"
                f"    el.addEventListener('click', function (ev) {{\n"
                f"      ev.preventDefault();\n"
                f"      el.classList.toggle('is-open');\n"
                f"    }});\n"
                f"  }});\n"
                f"  return items.length;\n"
                f"}}\n"
            )
        if kind == 1:
            return (
                f"async function {name}(id) {{\n"
                f"  const res = await fetch(`/api/{noun.lower()}s/${{encodeURIComponent(id)}}?v={rng.randint(1, 9)}`, {{ credentials: 'same-origin' }});\n"
                f"  if (!res.ok) {{\n"
                f"    throw new Error('{verb} {noun.lower()} failed: ' + res.status);\n"
                f"  }}\n"
                f"  const body = await res.json();\n"
                f"  return body.items.filter((x) => x.active).map((x) => ({{ id: x.id, label: x.name, price: Number(x.price) * {rng.randint(1, 3)} }}));\n"
                f"}}\n"
            )
        if kind == 2:
            return (
                f"class {noun}{name.capitalize()} {{\n"
                f"  constructor(el) {{\n"
                f"    this.el = el;\n"
                f"    this.state = {{ open: false, count: {rng.randint(0, 50)} }};\n"
                f"    this.onResize = this.onResize.bind(this);\n"
                f"    window.addEventListener('resize', this.onResize, {{ passive: true }});\n"
                f"  }}\n"
                f"  onResize() {{\n"
                f"    const w = this.el.getBoundingClientRect().width;\n"
                f"    this.el.classList.toggle('is-narrow', w < {rng.randint(300, 900)});\n"
                f"  }}\n"
                f"  {verb}(next) {{\n"
                f"    this.state = {{ ...this.state, ...next }};\n"
                f"    this.el.dataset.open = this.state.open ? 'true' : 'false';\n"
                f"  }}\n"
                f"}}\n"
            )
        if kind == 3:
            fields = ", ".join(f"{w}: {rng.randint(0, 999)}" for w in rng.sample(WORDS[:80], 6))
            return (
                f"const {name} = (list, key = '{rng.choice(WORDS)}') => {{\n"
                f"  const defaults = {{ {fields} }};\n"
                f"  return list\n"
                f"    .map((item) => ({{ ...defaults, ...item }}))\n"
                f"    .sort((a, b) => (a[key] > b[key] ? 1 : a[key] < b[key] ? -1 : 0))\n"
                f"    .slice(0, {rng.randint(5, 50)});\n"
                f"}};\n"
            )
        if kind == 4:
            return (
                f"function {name}(form) {{\n"
                f"  var errors = [];\n"
                f"  var fields = form.elements;\n"
                f"  for (var i = 0; i < fields.length; i++) {{\n"
                f"    var f = fields[i];\n"
                f"    if (f.required && !f.value.trim()) {{\n"
                f"      errors.push({{ name: f.name, message: 'Please enter your ' + f.name.replace(/_/g, ' ') }});\n"
                f"    }} else if (f.type === 'email' && !/^[^@\\s]+@[^@\\s]+$/.test(f.value)) {{\n"
                f"      errors.push({{ name: f.name, message: 'Please enter a valid email address' }});\n"
                f"    }}\n"
                f"  }}\n"
                f"  return errors;\n"
                f"}}\n"
            )
        return (
            f"var {name} = (function () {{\n"
            f"  var cache = {{}};\n"
            f"  var timer = null;\n"
            f"  function key(a, b) {{ return a + ':' + b; }}\n"
            f"  return function (a, b) {{\n"
            f"    var k = key(a, b);\n"
            f"    if (cache[k] !== undefined) return cache[k];\n"
            f"    clearTimeout(timer);\n"
            f"    timer = setTimeout(function () {{ cache = {{}}; }}, {rng.randint(1000, 60000)});\n"
            f"    return (cache[k] = Math.round((a * {rng.randint(2, 40)} + b) / {rng.randint(2, 9)}));\n"
            f"  }};\n"
            f"}})();\n"
        )

    # ---------- widget snippets ----------
    def uuid(self, rng: random.Random) -> str:
        return "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48))

    def name(self, rng: random.Random, bad_share: float = 0.08) -> str:
        return rng.choice(BAD_NAMES) if rng.random() < bad_share else rng.choice(NAMES)

    def config_block(self, rng: random.Random, loader_uuid: str) -> str:
        """The talkativeCustomConfig snippet and the loader, as the vendor's docs show them."""
        v = rng.randrange(10)
        region = rng.choice(["eu", "eu", "us", "au"])
        standby = (
            "      enterStandby: function () {\n"
            "        document.body.classList.remove('chat-active');\n"
            + (f"        talkativeApi.actions.triggerAction('{self.name(rng)}');\n" if rng.random() < 0.15 else "")
            + "      },\n"
        )
        inter = (
            "      enterInteraction() {\n"
            "        document.body.classList.add('chat-active');\n"
            + (f"        talkativeApi.actions.triggerAction('{self.name(rng)}');\n" if rng.random() < 0.1 else "")
            + "      },\n"
        )
        ready = (
            "      ready() {\n"
            "        document.querySelectorAll('[data-chat-action]').forEach(function (el) {\n"
            "          el.addEventListener('click', function () {\n"
            "            talkativeApi.actions.triggerAction(el.getAttribute('data-chat-action')).catch(console.warn);\n"
            "          });\n"
            "        });\n"
            "      },\n"
        )
        tracking = (
            "    customTracking(event, data) {\n"
            "      if (window.dataLayer) { window.dataLayer.push({ event: 'talkative_' + event, detail: data }); }\n"
            + (f"      if (event === 'exitInteraction') {{ talkativeApi.actions.triggerAction('{self.name(rng)}'); }}\n" if rng.random() < 0.1 else "")
            + "    }\n"
        )
        cfg = "window.talkativeCustomConfig = {\n    events: {\n" + standby + ready + inter + "      exitInteraction() { document.body.classList.remove('chat-active'); }\n    },\n" + tracking + "  };"
        loader = f"https://{region}.engage.app/api/ecs/v1/loader/{loader_uuid}.js"
        if v < 6:
            return f"<script>\n  {cfg}\n</script>\n<script src=\"{loader}\" async></script>\n"
        if v < 8:
            return (
                "<script type=\"module\">\n"
                f"  const region = '{region}';\n  const configUuid = '{loader_uuid}';\n"
                f"  {cfg}\n"
                "  import(`https://${region}.engage.app/api/ecs/v1/loader/${configUuid}.js?path=${encodeURIComponent(location.href)}`);\n"
                "</script>\n"
            )
        if v < 9:
            # Late config: the loader is requested first (late-custom-config).
            return f"<script src=\"{loader}\" async></script>\n<script>\n  {cfg}\n</script>\n"
        return (
            "<script>\n"
            f"  {cfg}\n"
            "  (function () {\n"
            "    var s = document.createElement('script');\n"
            f"    s.src = '{loader}';\n"
            "    s.async = true;\n"
            "    document.head.appendChild(s);\n"
            "  })();\n"
            "</script>\n"
        )

    def chat_button(self, rng: random.Random, wrappers: list[str]) -> str:
        n = self.name(rng)
        label = rng.choice(["Chat with us", "Talk to an expert", "Start a video call", "Request a call back", "Book a demo", "Need help?", "Contact support"])
        v = rng.randrange(10)
        if v == 0:
            return f"<button type=\"button\" class=\"btn btn-chat\" onclick=\"talkativeApi.actions.triggerAction('{n}')\">{label}</button>\n"
        if v == 1:
            return f"<a href=\"#\" class=\"chat-link\" onclick=\"window.talkativeApi?.actions.triggerAction('{n}'); return false;\">{label}</a>\n"
        if v == 2:
            return f"<button class=\"btn\" onclick=\"if (window.talkativeApi) {{ talkativeApi.actions.triggerAction(&quot;{n}&quot;).catch(function () {{}}); }}\">{label}</button>\n"
        if v == 3:
            return f"<a class=\"chat-link\" href=\"javascript:void window.talkativeApi?.actions.triggerAction('{n}')\">{label}</a>\n"
        if v == 4:
            return f"<button class=\"btn\" data-chat-action=\"{n}\">{label}</button>\n"
        if v == 5:
            return f"<button class=\"btn\" onclick=\"window.talkativeApi && window.talkativeApi.actions.triggerAction('{n}').then(function () {{ document.body.dataset.chat = '1'; }})\">{label}</button>\n"
        return f"<button type=\"button\" class=\"btn btn-primary\" onclick=\"{rng.choice(wrappers)}('{n}')\">{label}</button>\n"

    def inline_call_script(self, rng: random.Random) -> str:
        n = self.name(rng)
        el = f"help-{rng.randint(1, 9999)}"
        v = rng.randrange(4)
        if v == 0:
            body = f"    if (typeof talkativeApi !== 'undefined') {{\n      talkativeApi.actions.triggerAction('{n}').catch(function (e) {{ console.warn(e); }});\n    }}\n"
        elif v == 1:
            body = f"    talkativeApi.actions.triggerAction('{n}');\n"  # unguarded, unhandled
        elif v == 2:
            body = f"    const api = window.talkativeApi;\n    if (!api) return;\n    await api.actions.triggerAction('{n}');\n    await api.actions.triggerAction('{self.name(rng)}');\n"
        else:
            body = f"    try {{\n      await window.talkativeApi.actions.triggerAction(isOpen() ? '{n}' : 'out-of-hours');\n    }} catch (e) {{\n      console.warn('chat unavailable', e);\n    }}\n"
        return (
            "<script>\n"
            f"  function isOpen() {{ var h = new Date().getHours(); return h >= 8 && h < {rng.randint(17, 21)}; }}\n"
            f"  document.getElementById('{el}').addEventListener('click', async function () {{\n{body}  }});\n"
            "</script>\n"
        )

    def helpers_js(self, rng: random.Random, wrappers: list[str]) -> str:
        """Shared JS defining wrapper functions (action sinks) and guards."""
        out = ["/* Chat helpers: thin wrappers over the Talkative widget API. */\n"]
        for w in wrappers:
            v = rng.randrange(3)
            if v == 0:
                out.append(f"function {w}(action) {{\n  if (!window.talkativeApi) {{\n    return Promise.resolve(false);\n  }}\n  return window.talkativeApi.actions.triggerAction(action);\n}}\n")
            elif v == 1:
                out.append(f"const {w} = (action, meta) => {{\n  if (meta) {{ window.talkativeApi?.interactionData.appendInteractionData(meta); }}\n  return window.talkativeApi?.actions.triggerAction(action);\n}};\n")
            else:
                out.append(f"var {w} = function (action) {{\n  try {{\n    return talkativeApi.actions.triggerAction(action);\n  }} catch (e) {{\n    return null;\n  }}\n}};\n")
        out.append("function whenTalkativeReady(cb) {\n  if (window.talkativeApi) { cb(); return; }\n  var t = setInterval(function () { if (window.talkativeApi) { clearInterval(t); cb(); } }, 250);\n}\n")
        out.append("function chatAvailable() {\n  return typeof window.talkativeApi !== 'undefined' && window.talkativeApi.ui.isAvailable();\n}\n")
        # Some ordinary code in the same file.
        out.extend(rng.sample(self.js_funcs, 6))
        return "".join(out)

    def widget_js(self, rng: random.Random, wrappers: list[str]) -> str:
        """A page script that uses the widget or the wrappers."""
        out = []
        out.extend(rng.sample(self.js_funcs, rng.randint(2, 10)))
        for k in range(rng.randint(1, 4)):
            n = self.name(rng)
            v = rng.randrange(7)
            sel = f"#{rng.choice(JS_NOUNS).lower()}-{rng.randint(1, 999)}"
            if v == 0:
                out.append(f"document.querySelector('{sel}').addEventListener('click', function () {{\n  {rng.choice(wrappers)}('{n}').then(function () {{ console.log('started'); }});\n}});\n")
            elif v == 1:
                out.append(f"document.querySelector('{sel}').onclick = () => talkativeApi.actions.triggerAction('{n}');\n")
            elif v == 2:
                out.append(f"whenTalkativeReady(function () {{\n  talkativeApi.actions.triggerAction('{n}').catch(function () {{}});\n}});\n")
            elif v == 3:
                out.append(
                    f"const CHAT_ACTIONS{k} = {{ sales: 'sales-chat', support: '{n}', billing: 'billing-chat' }};\n"
                    f"export function openFor{k}(topic) {{\n  if (chatAvailable()) {{\n    return window.talkativeApi.actions.triggerAction(CHAT_ACTIONS{k}.support);\n  }}\n  return null;\n}}\n"
                )
            elif v == 4:
                out.append(f"if (window.talkativeApi) {{\n  window.talkativeApi.ui.show();\n  talkativeApi.actions.trigger('{n}');\n}}\n")  # unknown member
            elif v == 5:
                out.append(f"const queue{k} = [{{ action: '{n}', when: 'offline' }}, {{ action: '{self.name(rng)}', when: 'online' }}];\nqueue{k}.forEach((q) => {{ if (window.talkativeApi) window.talkativeApi.actions.triggerAction(q.action); }});\n")
            else:
                out.append(f"window.addEventListener('hashchange', function () {{\n  if (location.hash === '#chat') {{\n    {rng.choice(wrappers)}(location.hash.slice(1) + '-chat');\n  }}\n}});\n")
        return "".join(out)

    # ---------- ordinary content ----------
    def page(self, rng: random.Random, i: int, path: str, widget: bool, wrappers: list[str], loader_uuid: str, nav: list[str]) -> str:
        title = rng.choice(self.titles)
        brand = "Northwind"
        parts = [
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            f"<title>{title} | {brand}</title>\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            f"<meta name=\"description\" content=\"{rng.choice(self.paragraphs)[:150]}\">\n",
            f"<link rel=\"canonical\" href=\"https://www.example.com/{path}\">\n",
            f"<link rel=\"stylesheet\" href=\"/assets/css/site.css?v={rng.randint(100, 999)}\">\n",
            "<script async src=\"https://www.googletagmanager.com/gtag/js?id=G-4XK2L9QZ7P\"></script>\n",
            "<script>\n  window.dataLayer = window.dataLayer || [];\n  function gtag(){dataLayer.push(arguments);}\n  gtag('js', new Date());\n  gtag('config', 'G-4XK2L9QZ7P');\n</script>\n",
            "<script type=\"application/ld+json\">" + json.dumps({"@context": "https://schema.org", "@type": "WebPage", "name": title, "url": f"https://www.example.com/{path}", "inLanguage": "en"}) + "</script>\n",
            "<style>\n" + "\n".join(rng.sample(self.css_blocks, rng.randint(3, 12))) + "\n</style>\n",
        ]
        if widget:
            parts.append(self.config_block(rng, loader_uuid))
        parts.append("</head>\n<body class=\"page page-" + str(i % 17) + "\">\n<header class=\"site-header\">\n<nav aria-label=\"Main\"><ul>\n")
        parts.extend(f"<li><a href=\"/{l}\">{l.split('/')[0].replace('-', ' ').title()}</a></li>\n" for l in rng.sample(nav, min(len(nav), rng.randint(6, 14))))
        parts.append(f"</ul><button class=\"menu-toggle\" onclick=\"toggleMenu(this)\" aria-expanded=\"false\">Menu</button></nav>\n</header>\n<main id=\"main\">\n<article>\n<h1>{title}</h1>\n")
        n_par = max(2, int(rng.lognormvariate(2.3, 0.6)))
        for k in range(n_par):
            if k % 5 == 2:
                parts.append(f"<h2>{rng.choice(self.titles)}</h2>\n")
            parts.append(f"<p>{rng.choice(self.paragraphs)}</p>\n")
            if k % 7 == 3:
                parts.append("<ul>\n" + "".join(f"<li>{rng.choice(self.titles)}</li>\n" for _ in range(rng.randint(3, 8))) + "</ul>\n")
            if k % 9 == 4:
                parts.append(f"<figure><img src=\"/media/{rng.getrandbits(40):010x}.jpg\" alt=\"{rng.choice(self.titles)}\" loading=\"lazy\" width=\"800\" height=\"450\"><figcaption>{rng.choice(self.titles)}</figcaption></figure>\n")
            if widget and k == 1:
                parts.append(self.chat_button(rng, wrappers))
                parts.append(f"<p id=\"help-{rng.randint(1, 9999)}\" class=\"help\">{rng.choice(self.titles)}</p>\n")
        if rng.random() < 0.3:
            parts.append("<form class=\"contact\" onsubmit=\"return validateForm(this)\">\n<label>Name <input name=\"name\" required></label>\n<label>Email <input type=\"email\" name=\"email\" required></label>\n<textarea name=\"message\" rows=\"4\"></textarea>\n<button type=\"submit\" onclick=\"gtag('event', 'submit')\">Send</button>\n</form>\n")
        if widget:
            for _ in range(rng.randint(0, 2)):
                parts.append(self.chat_button(rng, wrappers))
        parts.append("</article>\n<aside class=\"related\"><h2>Related</h2><ul>\n")
        parts.extend(f"<li><a href=\"/{l}\">{rng.choice(self.titles)}</a></li>\n" for l in rng.sample(nav, min(len(nav), 5)))
        parts.append("</ul></aside>\n</main>\n<footer class=\"site-footer\">\n")
        parts.append(f"<p>&copy; 2024 {brand} Ltd. {rng.choice(self.paragraphs)[:200]}</p>\n</footer>\n")
        parts.append(f"<script src=\"/assets/js/app.{rng.randint(0, 40)}.js\" defer></script>\n")
        parts.append("<script>\n  function toggleMenu(btn) { var open = btn.getAttribute('aria-expanded') === 'true'; btn.setAttribute('aria-expanded', String(!open)); document.body.classList.toggle('nav-open', !open); }\n" + rng.choice(self.js_funcs) + "</script>\n")
        if widget and rng.random() < 0.5:
            parts.append(self.inline_call_script(rng))
        parts.append("</body>\n</html>\n")
        return "".join(parts)

    def ordinary_js(self, rng: random.Random) -> str:
        n = max(1, int(rng.lognormvariate(2.0, 0.9)))
        head = rng.choice(["'use strict';\n", "/* eslint-disable no-console */\n", "// Generated bundle chunk\n", ""])
        return head + "".join(rng.sample(self.js_funcs, min(n, 120)))


def write(path: Path, text: str, stats: dict) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    stats["files"] += 1
    stats["bytes"] += len(data)


def make_site(site: str, root: Path, seed: int, scale: float, pages: int | None, npm: Path | None) -> dict:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    g = Gen(seed, site)
    full = FULL[site]
    n_pages = pages if pages is not None else max(20, round(full["pages"] * scale))
    n_js = max(10, round(full["js"] * scale))
    n_libs = max(2, round(full["libs"] * scale))
    stats = {"files": 0, "bytes": 0, "widget_files": 0, "pages": n_pages, "js": n_js, "libs": 0}
    rng = g.rng("site")
    loader_uuid = g.uuid(rng)
    sections = ["products", "services", "support", "about", "news", "blog", "insurance", "energy", "travel", "help-centre", "careers", "investors"]
    wrappers = ["openChat", "startChatFlow", "launchTalkative"] if site == "dense" else ["openChat", "startSupportChat"]
    dirs_per_section = max(1, n_pages // (len(sections) * 100))
    page_paths = [f"{sections[i % len(sections)]}/{(i // len(sections)) % dirs_per_section:03d}/page-{i:05d}.html" for i in range(n_pages)]
    nav = [p for p in page_paths[:: max(1, n_pages // 60)]][:60]

    # Shared helpers with wrapper functions (sparse: one file; dense: a few).
    (root / "assets/js").mkdir(parents=True)
    n_helpers = 1 if site == "sparse" else 3
    for h in range(n_helpers):
        write(root / f"assets/js/chat-helpers{'' if h == 0 else '-' + str(h)}.js", g.helpers_js(g.rng("helpers", h), wrappers), stats)
        stats["widget_files"] += 1

    for i, rel in enumerate(page_paths):
        prng = g.rng("page", i)
        widget = site == "dense" or prng.random() < WIDGET_SHARE_SPARSE
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        write(p, g.page(prng, i, rel, widget, wrappers, loader_uuid, nav), stats)
        stats["widget_files"] += widget

    dense_js_share = 0.5
    for i in range(n_js):
        jrng = g.rng("js", i)
        section = sections[i % len(sections)]
        share = dense_js_share if site == "dense" else WIDGET_SHARE_SPARSE
        widget = jrng.random() < share
        ext = ".mjs" if jrng.random() < 0.05 else ".js"
        p = root / f"assets/js/{section}/{i // 200:03d}/{jrng.choice(JS_VERBS)}-{jrng.choice(JS_NOUNS).lower()}-{i:05d}{ext}"
        p.parent.mkdir(parents=True, exist_ok=True)
        if widget:
            text = g.widget_js(jrng, wrappers)
        elif jrng.random() < 0.01:
            # Consumers of the wrappers that never name the widget: found only
            # through the wrapper names (a second pre-filter round).
            text = g.ordinary_js(jrng) + f"document.getElementById('chat-{i}').addEventListener('click', function () {{ {jrng.choice(wrappers)}('{g.name(jrng)}'); }});\n"
        else:
            text = g.ordinary_js(jrng)
        write(p, text, stats)
        stats["widget_files"] += widget

    # Real-world library JS, copied several times under different names.
    libs = []
    if npm is not None:
        libs = [npm / f for f in LIB_FILES if (npm / f).is_file()]
    if not libs:
        print(f"warning: no npm library files under {npm}; using synthetic bundles", file=sys.stderr)
    lrng = g.rng("libs")
    for i in range(n_libs):
        section = sections[i % len(sections)]
        d = root / f"{section}/static/vendor"
        d.mkdir(parents=True, exist_ok=True)
        if libs:
            src = libs[i % len(libs)]
            data = src.read_bytes()
            stem = src.name[: -len(".js")]
        else:
            data = "".join(lrng.choices(g.js_funcs, k=800)).encode()
            stem = "bundle"
        digest = hashlib.sha1(f"{seed}{site}{i}".encode()).hexdigest()[:8]
        (d / f"{stem}.{digest}.js").write_bytes(data)
        stats["files"] += 1
        stats["bytes"] += len(data)
        stats["libs"] += 1

    # Config and the exported actions.
    (root / "action-lint.toml").write_text(
        'actions = "talkative-actions.yaml"\n\n[guards]\nfunctions = ["whenTalkativeReady"]\n'
    )
    y = ["# Exported from the widget config editor (Advanced > API Actions)\nactions:\n"]
    for name, typ, channel in ACTIONS:
        y.append(f"  - reference: {name}\n    type: {typ}\n")
        if channel:
            y.append(f"    queue: {g.uuid(rng)}\n    channel: {channel}\n")
    (root / "talkative-actions.yaml").write_text("".join(y))
    (root / "talkative-actions.json").write_text(json.dumps({"actions": NAMES}, indent=2) + "\n")
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = full size (a few hundred MB per site)")
    ap.add_argument("--pages", type=int, default=None, help="number of HTML pages per site (overrides the scaled count)")
    ap.add_argument("--site", choices=["both", "sparse", "dense"], default="both")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "work" / "sites" / "default")
    ap.add_argument("--npm", type=Path, default=Path(__file__).resolve().parent / "work" / "npm" / "node_modules", help="node_modules holding the library packages")
    args = ap.parse_args()

    args.out.mkdir(parents=True, exist_ok=True)
    stamp_path = args.out / "STAMP.json"
    if stamp_path.exists():
        stamp_path.unlink()
    sites = ["sparse", "dense"] if args.site == "both" else [args.site]
    stamp = {"seed": args.seed, "scale": args.scale, "pages": args.pages, "sites": {}}
    for s in sites:
        st = make_site(s, args.out / s, args.seed, args.scale, args.pages, args.npm if args.npm.is_dir() else None)
        stamp["sites"][s] = st
        print(f"{s}: {st['files']} files, {st['bytes'] / 1e6:.1f} MB, {st['widget_files']} mention the widget, {st['libs']} library copies", file=sys.stderr)
    if "sparse" in sites:
        # 5 files for the explicit-files (pre-commit) mode: widget pages first.
        root = args.out / "sparse"
        picks = []
        for p in sorted(root.rglob("*.html")):
            if "triggerAction" in p.read_text(encoding="utf-8"):
                picks.append(p)
                if len(picks) == 2:
                    break
        js = sorted((root / "assets/js").rglob("*.js"))
        picks.append(root / "assets/js/chat-helpers.js")
        picks.extend(p for p in js[1:4] if p not in picks)
        (args.out / "sparse-explicit.txt").write_text("".join(str(p.relative_to(root)) + "\n" for p in picks[:5]))
    stamp_path.write_text(json.dumps(stamp, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
