// plotly.js with the trace types cxtoolkit's figures use (cxtoolkit/viz: bar, scatter,
// heatmap, pie, sankey, indicator, waterfall); scatter comes with the core. A trace of another
// type would be drawn as a scatter: tests/test_apps_browser.py checks every app's figures.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/pie'),
    require('plotly.js/lib/sankey'),
    require('plotly.js/lib/indicator'),
    require('plotly.js/lib/waterfall'),
]);

module.exports = Plotly;
