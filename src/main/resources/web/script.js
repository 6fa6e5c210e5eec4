/* Pulse tracker: <script defer src="https://pulse.example.com/script.js" data-site="demo"></script>
   No cookies, no identifiers: one localStorage flag ("pulse_seen" = "1") says new or returning. */
(function (w, d) {
  'use strict';
  var s = d.currentScript;
  var site = s && s.getAttribute('data-site');
  if (!site || (w.pulse && w.pulse.track)) return; // no site, or the tag is on the page twice
  var api = (s.getAttribute('data-api') || s.src.replace(/\/script\.js([?#].*)?$/, ''))
    .replace(/\/+$/, '') + '/api/collect';
  var nav = navigator;
  var every = (+s.getAttribute('data-heartbeat') || 30) * 1000;
  var returning;
  try {
    returning = localStorage.getItem('pulse_seen') === '1';
    localStorage.setItem('pulse_seen', '1');
  } catch (e) { /* storage blocked: the flag is left out */ }

  var last = null;      // the URL of the last pageview, without its #fragment
  var referrer = d.referrer;
  // engaged ms on this page: visible, with input in the last 30 s; each change adds what passed
  var now = Date.now;
  var engaged = 0, at = now(), active = at, visible = shown(), left = false;

  function shown() {
    return d.visibilityState === 'visible';
  }

  function count() {
    var t = now();
    if (visible) engaged += Math.max(0, Math.min(t, active + 30000) - at); // clock jumps add <= 30 s
    at = t;
    return engaged;
  }

  function send(type, extra) {
    var e = { site: site, type: type, url: last || w.location.href, title: d.title,
      screen: String(w.screen ? w.screen.width : ''), lang: nav.language, returning: returning };
    for (var k in extra) e[k] = extra[k];
    var body = JSON.stringify(e);
    // sendBeacon survives the page closing; text/plain needs no CORS preflight
    if (!(nav.sendBeacon && nav.sendBeacon(api, body)) && w.fetch) {
      fetch(api, { method: 'POST', body: body, keepalive: true, credentials: 'omit',
        headers: { 'Content-Type': 'text/plain' } })['catch'](function () {});
    }
  }

  function pageview() {
    var url = w.location.href.split('#')[0];
    if (url === last) return; // replaceState of the same URL is no new page
    var ref = last ? last : referrer; // later pageviews come from our own page (not counted)
    last = url;
    engaged = 0; // the navigation was the visitor's act: engaged from now
    at = active = now();
    left = false;
    send('pageview', { referrer: ref });
  }

  // hidden or closed; pagehide follows visibilitychange on close: one leave per hidden period
  function hide() {
    count();
    visible = false;
    if (!left) send('leave', { engaged: engaged });
    left = true;
  }

  // seen again (coming back is the visitor's act): present again at once
  function show() {
    if (visible || !shown()) return;
    count();
    active = at;
    visible = true;
    left = false;
    send('heartbeat', { engaged: engaged });
  }

  var h = w.history;
  ['pushState', 'replaceState'].forEach(function (m) {
    var original = h[m];
    h[m] = function () {
      var result = original.apply(this, arguments);
      pageview();
      return result;
    };
  });
  w.addEventListener('popstate', pageview);

  ['pointerdown', 'pointermove', 'keydown', 'input', 'scroll', 'wheel', 'touchstart']
    .forEach(function (k) {
      d.addEventListener(k, function () { count(); active = at; }, { capture: true, passive: true });
    });
  d.addEventListener('visibilitychange', function () { shown() ? show() : hide(); });
  w.addEventListener('pagehide', hide);
  w.addEventListener('pageshow', function (e) { if (e.persisted) show(); }); // back from bfcache

  // keeps a reader of one long page present; hidden tabs stay quiet
  setInterval(function () {
    if (visible) send('heartbeat', { engaged: count() });
  }, every);

  w.pulse = {
    track: function (name, props) {
      send('event', { name: String(name), props: props || {} });
    }
  };
  pageview();
})(window, document);
