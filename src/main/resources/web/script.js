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
    send('pageview', { referrer: ref });
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

  // keeps a reader of one long page active; hidden tabs stay quiet and drop out of the window
  setInterval(function () {
    if (d.visibilityState === 'visible') send('heartbeat');
  }, every);

  w.pulse = {
    track: function (name, props) {
      send('event', { name: String(name), props: props || {} });
    }
  };
  pageview();
})(window, document);
