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

  // A chart's update is a new renderer (the widget Output replaces its outputs: its old
  // renderers are disposed, in order, then new ones created and attached, in order, all in
  // the task of the message). The plots the disposed renderers drew are left here, by output
  // area, and the area's new renderers take them over in the same order (the old charts stay
  // on screen, no blank frame) and redraw them in place; plots nobody took are purged once
  // that task's code has run.
  var left = new WeakMap();

  function leave(area, plot) {
    var queue = left.get(area);
    if (!queue) {
      left.set(area, queue = []);
      queueMicrotask(function () {
        left.delete(area);
        queue.forEach(function (p) { if (window.Plotly) { window.Plotly.purge(p); } });
      });
    }
    queue.push(plot);
  }

  // Resolves after the browser's next frame is painted. A chart is drawn only then: the
  // messages that came before it (the headline, from the same input change) are on screen
  // first, instead of waiting for plotly.js's drawing (a long task: 30-140 ms). A hidden
  // page paints no frame: then after 250 ms (the chart is there when the page is shown).
  function afterPaint() {
    return new Promise(function (resolve) {
      requestAnimationFrame(function () { setTimeout(resolve, 0); });
      setTimeout(resolve, 250);
    });
  }

  function extension(Widget) {
    class PlotlyRenderer extends Widget {
      constructor(options) {
        super();
        this.mimeType = options.mimeType;
        this.addClass("cx-plotly-renderer");
        this.plot = null;      // the plot's element (plotly.js's graph div), a child of this.node
        this.area = null;      // the output area this renderer is attached in
        this.plotted = false;
      }
      adopt() {               // the next plot the area's previous renderers left, if any
        var queue = this.area && !this.plot ? left.get(this.area) : null;
        var old = queue ? queue.shift() : null;
        if (old) {
          this.plot = old;
          this.plotted = true;
          this.node.appendChild(old);
        }
      }
      renderModel(model) {
        var fig = model.data[this.mimeType] || {};
        var self = this;
        return Promise.all([loadPlotly(), afterPaint()]).then(function (r) {
          if (self.isDisposed) { return null; }
          self.adopt();
          if (!self.plot) {
            self.plot = document.createElement("div");
            self.node.appendChild(self.plot);
          }
          return r[0].react(self.plot, fig.data || [], fig.layout || {}, fig.config || {}).then(function () {
            if (!self.isDisposed) { self.plotted = true; self.fit(); }
          });
        });
      }
      fit() {
        if (this.plotted && window.Plotly && this.node.isConnected && this.node.offsetParent !== null) {
          window.Plotly.Plots.resize(this.plot);
        }
      }
      onAfterAttach() {
        this.area = this.node.closest(".widget-output") || this.node.parentElement;
        this.adopt();
        this.fit();
      }
      onAfterShow() { this.fit(); }
      onResize() { this.fit(); }
      dispose() {
        if (this.isDisposed) { return; }
        if (this.plot && this.area) {          // left for the area's next renderer
          leave(this.area, this.plot);
        } else if (this.plot && window.Plotly) {
          window.Plotly.purge(this.plot);
        }
        this.plot = null;
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
