/* Pulse live dashboard: alert banners. When one of the site's alert rules fires or resolves, the
   stream carries an `event: alert` message (the webhook's JSON); a banner says so above the
   figures. A firing alert's banner stays until it resolves or is closed; a resolved one goes by
   itself after a minute. Text from the message only ever goes in through textContent. */
(function () {
  'use strict';

  var P = window.PulseLive;
  var RESOLVED_MS = 60000;
  var list = null;
  var banners = {};             // alert id -> its banner

  function container() {
    if (list) return list;
    list = P.el('div', 'alerts');
    list.id = 'alerts';
    list.setAttribute('role', 'alert');
    var top = document.querySelector('header.top');
    top.parentNode.insertBefore(list, top.nextSibling);
    return list;
  }

  function time(iso) {
    var d = new Date(iso);
    return isNaN(d) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function describe(a) {
    var text = 'Alert “' + a.alert + '” (' + a.kind + ') '
      + (a.state === 'firing' ? 'firing' : 'resolved') + ': ' + P.number(a.activeVisitors)
      + (a.activeVisitors === 1 ? ' active visitor' : ' active visitors');
    if (a.threshold != null && a.kind !== 'silence') text += ', threshold ' + P.number(a.threshold);
    if (a.baseline != null) text += ', usually ' + P.number(a.baseline);
    return text + (a.at ? ' · ' + time(a.at) : '');
  }

  function show(a) {
    if (!a || typeof a.alert !== 'string') return;
    var old = banners[a.alert];
    if (old) old.remove();
    var b = P.el('div', 'alert-banner');
    b.setAttribute('data-state', a.state === 'firing' ? 'firing' : 'resolved');
    b.setAttribute('data-alert', a.alert);
    b.appendChild(P.el('span', 'alert-text', describe(a)));
    var close = P.el('button', 'alert-close', '×');
    close.type = 'button';
    close.setAttribute('aria-label', 'Close');
    close.addEventListener('click', function () {
      b.remove();
      if (banners[a.alert] === b) delete banners[a.alert];
    });
    b.appendChild(close);
    container().appendChild(b);
    banners[a.alert] = b;
    if (a.state !== 'firing') {
      setTimeout(function () {
        if (banners[a.alert] === b) {
          b.remove();
          delete banners[a.alert];
        }
      }, RESOLVED_MS);
    }
  }

  /** live.js hands over every EventSource it opens. */
  P.onStream = function (es) {
    es.addEventListener('alert', function (e) {
      var a;
      try {
        a = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      show(a);
    });
  };
})();
