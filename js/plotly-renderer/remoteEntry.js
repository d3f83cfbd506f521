// A JupyterLab federated extension without webpack: the container interface JupyterLab's and
// Voila's loaders use (window._JUPYTERLAB[name].init(shareScope), .get(module) -> factory),
// exposing one mime renderer for Plotly figures ("application/vnd.plotly.v1+json"), drawn with
// the trimmed plotly.js bundle next to this file (loaded on the first figure, once per page).
// Written by build.mjs into cxtoolkit/resources/labextensions/cxtoolkit-plotly/static/.
(function () {
  "use strict";
  var NAME = "__NAME__";
  var MIME = "application/vnd.plotly.v1+json";
  var BUNDLE = "__BUNDLE__";
  var script = document.currentScript;
  var base = script ? script.src.replace(/[^/]*$/, "") : "";
  var scope = null;
  var plotly = null;

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.async = true;
        s.onload = function () { resolve(window.Plotly); };
        s.onerror = reject;
        s.src = base + BUNDLE;
        document.head.appendChild(s);
      });
    }
    return plotly;
  }

  function newer(a, b) {   // semver a > b (numeric parts only)
    var x = a.split(/[.-]/), y = b.split(/[.-]/);
    for (var i = 0; i < 3; i++) {
      var d = (parseInt(x[i], 10) || 0) - (parseInt(y[i], 10) || 0);
      if (d) { return d > 0; }
    }
    return false;
  }

  function shared(name) {  // the module the page already uses (loaded), else the newest
    var versions = (scope && scope[name]) || {};
    var pick = null;
    Object.keys(versions).forEach(function (v) {
      if (pick === null || (versions[v].loaded && !versions[pick].loaded) ||
          (!!versions[v].loaded === !!versions[pick].loaded && newer(v, pick))) { pick = v; }
    });
    if (pick === null) { return Promise.reject(new Error(NAME + ": no shared " + name)); }
    return Promise.resolve(versions[pick].get()).then(function (factory) { return factory(); });
  }

  function extension(Widget) {
    class PlotlyRenderer extends Widget {
      constructor(options) {
        super();
        this.mimeType = options.mimeType;
        this.addClass("cx-plotly-renderer");
        this.plotted = false;
      }
      renderModel(model) {
        var fig = model.data[this.mimeType] || {};
        var node = this.node, self = this;
        return loadPlotly().then(function (Plotly) {
          return Plotly.react(node, fig.data || [], fig.layout || {}, fig.config || {});
        }).then(function () { self.plotted = true; self.fit(); });
      }
      fit() {
        if (this.plotted && window.Plotly && this.node.isConnected && this.node.offsetParent !== null) {
          window.Plotly.Plots.resize(this.node);
        }
      }
      onAfterAttach() { this.fit(); }
      onAfterShow() { this.fit(); }
      onResize() { this.fit(); }
      dispose() {
        if (this.plotted && window.Plotly) { window.Plotly.purge(this.node); }
        super.dispose();
      }
    }
    return {
      id: NAME + ":renderer",
      rendererFactory: {
        safe: true,
        mimeTypes: [MIME],
        createRenderer: function (options) { return new PlotlyRenderer(options); }
      },
      rank: 0,
      dataType: "json"
    };
  }

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init: function (shareScope) { scope = shareScope; return Promise.resolve(); },
    get: function (module) {
      if (module !== "./mimeExtension") {
        return Promise.reject(new Error(NAME + ": no module " + module));
      }
      return shared("@lumino/widgets").then(function (widgets) {
        var ext = extension(widgets.Widget);
        return function () { return { __esModule: true, default: [ext] }; };
      });
    }
  };
})();
