// The script a shop embeds (served at GET /b/browse.js): it posts what the
// signed-in shopper looks at to POST /b/events, with the shopper token the
// shop's server put in its tag. Plain ES5-era JavaScript with no
// dependencies, about 2 KB, the same for every shop (cacheable): the page says
// what it shows with data attributes, and calls after load (or before it,
// queued in an array, as the snippet does) with
// `(window.rekindle = window.rekindle || []).push({ type, product_id | category | query })`,
// the event as POST /v1/events/browse takes it, without shopper or time.
// Events gather for a second (at most browseScriptBatch) and leave in one
// post, at once when the page is hidden or left; navigator.sendBeacon first
// (it outlives the page), else fetch with keepalive, both as text/plain so no
// preflight is needed. An event without its reference is dropped here, so
// one stray call cannot make the server refuse the batch around it. Never
// reads cookies or the page beyond its own tag.
import { browseEventsName, browseScriptAttributes, browseScriptGlobal } from './browse-door.ts';
import { browseReferenceField } from './browse-events.ts';

/** Events the script sends in one post (the route takes up to maxShopperEvents). */
export const browseScriptBatch = 20;
/** How long the script gathers events before it posts them. */
export const browseScriptWaitMs = 1000;

const pageEvents = [
  [browseScriptAttributes.product, 'product_viewed'],
  [browseScriptAttributes.category, 'category_viewed'],
  [browseScriptAttributes.search, 'search'],
] as const;

const json = (value: unknown) => JSON.stringify(value);

export const browseScript = `/* Rekindle browse events: what the signed-in shopper looks at. */
(function () {
  'use strict';
  var script = document.currentScript;
  var shopper = script && script.getAttribute(${json(browseScriptAttributes.shopper)});
  var queued = window[${json(browseScriptGlobal)}];
  var fields = ${json(browseReferenceField)};
  var pending = [];
  var timer = null;
  if (!shopper) {
    window[${json(browseScriptGlobal)}] = { push: function () {}, flush: function () {} };
    return;
  }
  var endpoint = new URL(${json(browseEventsName)}, script.src).href;

  function post(events) {
    var body = JSON.stringify({ shopper: shopper, events: events });
    if (navigator.sendBeacon && navigator.sendBeacon(endpoint, body)) return;
    if (!window.fetch) return;
    fetch(endpoint, {
      method: 'POST',
      body: body,
      keepalive: true,
      credentials: 'omit',
      headers: { 'Content-Type': 'text/plain' }
    })['catch'](function () {});
  }

  function flush() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    while (pending.length > 0) post(pending.splice(0, ${browseScriptBatch}));
  }

  function push(event) {
    if (!event || !Object.prototype.hasOwnProperty.call(fields, event.type)) return;
    var field = fields[event.type];
    var value = event[field];
    if (value === undefined || value === null || String(value).trim() === '') return;
    var clean = { type: event.type };
    clean[field] = String(value);
    pending.push(clean);
    if (pending.length >= ${browseScriptBatch}) flush();
    else if (timer === null) timer = setTimeout(flush, ${browseScriptWaitMs});
  }

  window[${json(browseScriptGlobal)}] = { push: push, flush: flush };
  var page = ${json(pageEvents)};
  for (var i = 0; i < page.length; i++) {
    var shown = script.getAttribute(page[i][0]);
    if (shown) {
      var event = { type: page[i][1] };
      event[fields[page[i][1]]] = shown;
      push(event);
    }
  }
  if (queued && typeof queued.length === 'number') {
    for (var j = 0; j < queued.length; j++) push(queued[j]);
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') flush();
  });
  window.addEventListener('pagehide', flush);
})();
`;
