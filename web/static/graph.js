// Draws a graph neighbourhood with cytoscape (served locally) from the page's JSON twin. The page
// lists the same nodes and edges without JavaScript; this only adds the drawing.
(function () {
  'use strict';
  var box = document.getElementById('graph');
  if (!box || typeof window.cytoscape !== 'function') return;
  var api = box.getAttribute('data-api');
  if (!api) return;
  var COLOURS = { message: '#0b57a4', thread: '#5b3fa0', person: '#2f7d4a', series: '#8a5a00', symbol: '#8a2f6d' };

  fetch(api, { headers: { accept: 'application/json' } })
    .then(function (res) {
      if (!res.ok) throw new Error('the graph data answered ' + res.status);
      return res.json();
    })
    .then(function (data) {
      var elements = [];
      data.nodes.forEach(function (n) {
        elements.push({ data: { id: n.id, label: n.label, kind: n.kind, url: n.url || '', center: n.center ? 1 : 0 } });
      });
      data.edges.forEach(function (e, i) {
        elements.push({ data: { id: 'e' + i, source: e.source, target: e.target, label: e.kind } });
      });
      box.classList.add('drawn');
      // Cytoscape adds a <style> element for its container unless one with this id exists; the
      // CSP refuses inline styles, so a marker stands in for it and style.css carries the rule.
      if (!document.getElementById('__________cytoscape_stylesheet')) {
        var marker = document.createElement('meta');
        marker.id = '__________cytoscape_stylesheet';
        document.head.appendChild(marker);
      }
      var cy = window.cytoscape({
        container: box,
        elements: elements,
        // The centre in the middle, its neighbours on a ring around it.
        layout: {
          name: 'concentric',
          animate: false,
          padding: 40,
          minNodeSpacing: 60,
          concentric: function (n) { return n.data('center') ? 2 : 1; },
          levelWidth: function () { return 1; },
        },
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'font-size': 10,
              'text-wrap': 'ellipsis',
              'text-max-width': 150,
              'text-valign': 'bottom',
              'text-margin-y': 4,
              width: 18,
              height: 18,
              'background-color': function (n) { return COLOURS[n.data('kind')] || '#666'; },
            },
          },
          { selector: 'node[center = 1]', style: { width: 28, height: 28, 'border-width': 3, 'border-color': '#e08a00' } },
          {
            selector: 'edge',
            // Edge kinds are in the list under the drawing; on the drawing they would cover the node labels.
            style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#9a9a94', 'target-arrow-color': '#9a9a94' },
          },
        ],
        wheelSensitivity: 0.2,
      });
      cy.on('tap', 'node', function (ev) {
        var url = ev.target.data('url');
        if (url && url.charAt(0) === '/') window.location.assign(url);
      });
    })
    .catch(function (err) {
      box.classList.add('failed');
      box.textContent = 'The drawing could not be made (' + err.message + '); the list below has the same links.';
    });
})();
