/* Pulse live counters: <span data-pulse-counter="demo"></span> + <script defer src=".../embed.js">
   Options on the element: data-label="{n} people online", data-path="/pricing" (visitors on that
   page), data-count="present" (visitors with the page open now, e.g. "{n} reading this page now"
   with data-path; default: active in the window), data-window="5m", data-token="pk_..." (a private site: a token with realtime:read, which
   every visitor of the page can read). One connection per site, window, kind and token, shared by
   its elements. */
(function (w, d) {
  'use strict';
  var s = d.currentScript;
  var base = ((s && s.getAttribute('data-api'))
    || (s ? s.src.replace(/\/embed\.js([?#].*)?$/, '') : '')).replace(/\/+$/, '');
  var POLL_MS = 15000;
  var feeds = {};

  function show(el, data) {
    var path = el.getAttribute('data-path');
    var present = el.getAttribute('data-count') === 'present';
    var n = present ? data.present : data.activeVisitors;
    if (path) {
      // pages holds the window's top pages; a page missing from it has no visitor worth showing
      n = 0;
      (data.pages || []).forEach(function (p) {
        if (p.path === path) n = present ? p.present : p.visitors;
      });
    }
    if (typeof n !== 'number') return;
    var label = el.getAttribute('data-label') || '{n}';
    el.textContent = label.split('{n}').join(n.toLocaleString());
    el.setAttribute('data-pulse-count', n);
  }

  function refuse(el, why) {
    el.textContent = why;
    el.setAttribute('data-pulse-error', why);
  }

  function Feed(site, win, page, token) {
    var self = this;
    var query = (win ? 'window=' + encodeURIComponent(win) : '');
    var api = base + '/api/sites/' + encodeURIComponent(site);
    var auth = token ? { 'Authorization': 'Bearer ' + token } : {};
    self.els = [];
    self.deliver = function (data) {
      self.last = data;
      self.els.forEach(function (el) { show(el, data); });
    };
    // a site the counter cannot read says so, rather than leaving its placeholder forever
    self.refuse = function (why) {
      self.refused = why;
      self.els.forEach(function (el) { refuse(el, why); });
    };

    /** Throws for an answer that says the counter may not read the site, after saying so. */
    function allowed(r) {
      if (r.status === 401 || r.status === 403 || r.status === 404) {
        self.refuse(r.status === 404 ? 'unknown site' : token ? 'token refused' : 'private site');
        throw new Error('pulse: cannot read site ' + site + ' (' + r.status + ')');
      }
      return r;
    }

    function warn(e) {
      if (w.console) console.warn(e.message || e);
    }

    function poll() {
      fetch(api + '/realtime' + (query ? '?' + query : ''), { credentials: 'omit', headers: auth })
        .then(allowed)
        .then(function (r) { return r.ok ? r.json().then(self.deliver) : null; })
        .then(function () { setTimeout(poll, POLL_MS); }, warn);
    }

    /** EventSource sends no headers: a token is traded for a ticket (valid a minute) first. */
    function stream() {
      if (!token) {
        open(null);
        return;
      }
      fetch(api + '/stream-tickets', { method: 'POST', credentials: 'omit', cache: 'no-store',
        headers: auth })
        .then(allowed)
        .then(function (r) {
          if (!r.ok) throw new Error('pulse: no stream ticket (' + r.status + ')');
          return r.json();
        })
        .then(function (t) { open(t.ticket); }, function (e) {
          warn(e);
          if (!self.refused) setTimeout(stream, 5000 + Math.random() * 5000);
        });
    }

    function open(ticket) {
      // a page count needs the pages list, so it reads the full snapshot; else a few bytes a push
      var params = (page ? [] : ['view=counter']).concat(query ? [query] : [])
        .concat(ticket ? ['ticket=' + encodeURIComponent(ticket)] : []);
      var es = new EventSource(api + '/stream' + (params.length ? '?' + params.join('&') : ''));
      var opened = false;
      es.onopen = function () { opened = true; };
      es.addEventListener('snapshot', function (e) {
        try { self.deliver(JSON.parse(e.data)); } catch (err) { /* not ours */ }
      });
      es.addEventListener('close', function () {
        es.close();
        setTimeout(stream, 2000 + Math.random() * 3000);
      });
      es.onerror = function () {
        // refused outright (a limit, a proxy that cannot stream): poll instead; a stream that
        // was open and is refused on its reconnect most likely holds a ticket past its minute
        if (es.readyState === 2) {
          if (opened) setTimeout(stream, 5000); else poll();
        }
      };
    }

    if (w.EventSource) stream(); else if (w.fetch) poll();
  }

  function scan() {
    var els = d.querySelectorAll('[data-pulse-counter]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.pulseBound) continue;
      el.pulseBound = true;
      var site = el.getAttribute('data-pulse-counter');
      var win = el.getAttribute('data-window') || '';
      var page = !!el.getAttribute('data-path');
      var token = el.getAttribute('data-token') || '';
      var key = site + '|' + win + '|' + page + '|' + token;
      var feed = feeds[key] || (feeds[key] = new Feed(site, win, page, token));
      feed.els.push(el);
      if (feed.last) show(el, feed.last); else if (feed.refused) refuse(el, feed.refused);
    }
  }

  // counters added later (single-page apps) call PulseCounters.scan()
  w.PulseCounters = { scan: scan };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', scan); else scan();
})(window, document);
