/* Pulse live dashboard, part 3 of 5: the world map. world.svg is Pulse's own file (one <path>
   per country, its id the ISO code); the dashboard shades each country by its visitors, says the
   count on hover, and a click on a country filters by it. */
(function () {
  'use strict';

  var P = window.PulseLive;
  var LEVELS = 5;
  var paths = null;             // ISO code -> <path>, once the map is in the page
  var names = {};               // ISO code -> the name the map file gives
  var shaded = [];
  var pending = null;           // countries that arrived before the map

  P.loadMap = function (url) {
    fetch(url, { credentials: 'omit' })
      .then(function (r) { if (!r.ok) throw new Error('map: ' + r.status); return r.text(); })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        var svg = document.importNode(doc.documentElement, true);
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', 'Visitors by country');
        svg.setAttribute('class', 'world');
        paths = {};
        var all = svg.querySelectorAll('path[id]');
        for (var i = 0; i < all.length; i++) {
          var code = all[i].id;
          all[i].removeAttribute('id');   // the page's ids are its own; the code is data-cc
          all[i].setAttribute('data-cc', code);
          var title = all[i].querySelector('title');
          names[code] = title ? title.textContent : code;
          if (!title) title = P.svg('title', {}, all[i]);
          paths[code] = all[i];
        }
        var box = P.$('map');
        box.textContent = '';
        box.appendChild(svg);
        if (pending) P.shadeMap(pending);
      })['catch'](function () {
        P.$('map-card').hidden = true;
      });
  };

  /** Shades every country by its visitors: levels on a log scale of the busiest country. */
  P.shadeMap = function (countries) {
    pending = countries || [];
    if (!paths) return;
    shaded.forEach(function (code) {
      var p = paths[code];
      p.removeAttribute('data-visitors');
      p.setAttribute('class', '');
      p.querySelector('title').textContent = name(code);
    });
    shaded = [];
    var max = 1;
    pending.forEach(function (c) { max = Math.max(max, c.visitors); });
    pending.forEach(function (c) {
      var p = paths[c.code];
      if (!p || !c.visitors) return;
      var level = Math.max(1, Math.ceil(LEVELS * Math.log(1 + c.visitors) / Math.log(1 + max)));
      var picked = P.filters && P.filters.has('country', c.code);
      p.setAttribute('class', 'v' + level + (picked ? ' picked' : ''));
      p.setAttribute('data-visitors', c.visitors);
      p.querySelector('title').textContent = name(c.code) + ': ' + P.number(c.visitors)
        + (c.visitors === 1 ? ' visitor' : ' visitors');
      shaded.push(c.code);
    });
  };

  function name(code) {
    return P.countryName(code) || names[code] || code;
  }

  /** The hovered country and its count, under the map (a title alone waits for the pointer). */
  function hover(e) {
    var p = e.target.closest && e.target.closest('path[data-cc]');
    var caption = P.$('map-caption');
    if (!p) {
      caption.textContent = caption.getAttribute('data-idle');
      return;
    }
    caption.textContent = p.querySelector('title').textContent;
  }

  var box = P.$('map');
  box.addEventListener('mouseover', hover);
  box.addEventListener('mouseleave', hover);
  box.addEventListener('click', function (e) {
    var p = e.target.closest && e.target.closest('path[data-visitors]');
    if (p && !P.tv && P.filters) P.filters.add('country', p.getAttribute('data-cc'));
  });
})();
