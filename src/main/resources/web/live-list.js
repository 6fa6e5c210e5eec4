/* The /live page: every public site with its live count, from GET /api/live every few seconds.
   Site ids are shown through textContent only. */
(function () {
  'use strict';

  var EVERY_MS = 3000;
  var STALE_AFTER_MS = 10000;
  var lastUpdate = 0;

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function number(n) {
    return Number(n).toLocaleString('en-US');
  }

  function setState(state, text) {
    $('state').setAttribute('data-state', state);
    $('state-text').textContent = text;
  }

  function render(answer) {
    var rows = answer.sites || [];
    var present = rows.some(function (r) { return r.present !== undefined; });
    $('present-head').hidden = !present;
    var body = $('sites');
    body.textContent = '';
    if (!rows.length) {
      var td = el('td', 'empty', 'No public sites on this server');
      td.colSpan = 4;
      body.appendChild(el('tr')).appendChild(td);
    }
    var total = 0;
    rows.forEach(function (r) {
      total += r.activeVisitors;
      var tr = el('tr');
      tr.setAttribute('data-site', r.site);
      var name = el('td', 'name');
      var a = el('a', null, r.site);
      a.href = '/live/' + encodeURIComponent(r.site);
      name.appendChild(a);
      tr.appendChild(name);
      tr.appendChild(el('td', 'active', number(r.activeVisitors)));
      if (present) tr.appendChild(el('td', 'present', number(r.present || 0)));
      tr.appendChild(el('td', 'pageviews', number(r.pageviews)));
      body.appendChild(tr);
    });
    $('total').textContent = number(total) + ' online';
    document.title = total + ' online · Live · Pulse';
    $('list').setAttribute('aria-busy', 'false');
  }

  function poll() {
    fetch('/api/live', { cache: 'no-store', credentials: 'omit' })
      .then(function (r) {
        if (!r.ok) throw new Error('live: ' + r.status);
        return r.json();
      })
      .then(function (answer) {
        lastUpdate = Date.now();
        render(answer);
        setState('live', 'Live');
      })['catch'](function () {
        var stale = !lastUpdate || Date.now() - lastUpdate > STALE_AFTER_MS;
        setState(stale ? 'stale' : 'reconnecting', stale ? 'Stale' : 'Reconnecting…');
      })
      .then(function () { setTimeout(poll, EVERY_MS); });
  }

  poll();
})();
