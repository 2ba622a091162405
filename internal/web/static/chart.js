// Draws every [data-chart] element with the vendored ECharts. The element's
// data-chart attribute holds the chart as web.Chart marshals it (kind,
// categories, series with a link per value, or heat map cells); this file
// is the only place that turns it into ECharts options, so every chart in
// zhendi looks and behaves alike. Tooltips render as rich text on the
// canvas: HTML tooltips would carry inline styles, which the page's
// content-security policy forbids.
(function () {
  "use strict";
  var palette = ["#3060a8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#b8860b",
    "#2c3e50", "#e84393", "#6c5ce7", "#00838f", "#558b2f", "#ad1457", "#4e342e"];

  function go(link) {
    // Only the site's own pages: a link is always a path built by the server.
    if (link && link.charAt(0) === "/" && link.charAt(1) !== "/") window.location.href = link;
  }

  function axisName(c) { return c.unit || ""; }

  function barOrLine(c) {
    var horizontal = c.kind === "hbar";
    var cats = c.categories.slice();
    var series = c.series.map(function (s) {
      var vals = s.values.slice();
      if (horizontal) vals.reverse(); // the first category on top
      var out = {
        name: s.name, type: c.kind === "line" ? "line" : "bar", data: vals,
        emphasis: { focus: "series" }
      };
      if (c.stacked) out.stack = "all";
      if (s.color) out.itemStyle = { color: s.color };
      if (c.kind === "line") { out.symbolSize = 7; if (s.color) out.lineStyle = { color: s.color }; }
      if (c.kind !== "line") out.barMaxWidth = 36;
      if (c.series.length === 1 && c.kind !== "line") out.label = { show: true, position: horizontal ? "right" : "top", formatter: function (p) { return p.value ? p.value : ""; } };
      return out;
    });
    if (horizontal) cats.reverse();
    var catAxis = { type: "category", data: cats, axisTick: { alignWithLabel: true }, axisLabel: { interval: 0, hideOverlap: true } };
    var valAxis = { type: "value", name: axisName(c), minInterval: 1 };
    if (c.unit === "%") { valAxis.max = 100; valAxis.minInterval = 0; }
    return {
      color: palette,
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
      legend: c.series.length > 1 ? { type: "scroll", top: 0 } : undefined,
      grid: { left: 12, right: 28, top: c.series.length > 1 ? 56 : 28, bottom: 8, containLabel: true },
      xAxis: horizontal ? valAxis : catAxis,
      yAxis: horizontal ? catAxis : valAxis,
      series: series
    };
  }

  function heatmap(c) {
    var rows = c.rows.slice().reverse(); // the first row on top
    var n = c.rows.length;
    var data = c.cells.map(function (cell) {
      return { value: [cell.x, n - 1 - cell.y, cell.level], text: cell.text || "", link: cell.link || "" };
    });
    return {
      tooltip: { renderMode: "richText", formatter: function (p) {
        return rows[p.value[1]] + "\n" + c.categories[p.value[0]] + "：" + (c.levels[p.value[2]] || {}).label + (p.data.text ? "（" + p.data.text + "）" : "");
      } },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: c.categories, position: "top", splitArea: { show: true }, axisLabel: { interval: 0, rotate: c.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "category", data: rows, splitArea: { show: true }, axisLabel: { interval: 0 } },
      visualMap: {
        type: "piecewise", dimension: 2, orient: "horizontal", left: "center", bottom: 0,
        pieces: c.levels.map(function (l, i) { return { value: i, label: l.label, color: l.color }; })
      },
      series: [{ type: "heatmap", data: data, label: { show: true, formatter: function (p) { return p.data.text; } },
        emphasis: { itemStyle: { borderColor: "#222", borderWidth: 1 } } }]
    };
  }

  function draw(el) {
    var c;
    try { c = JSON.parse(el.getAttribute("data-chart")); } catch (e) { return; }
    if (c.kind === "heatmap") {
      // One band per row, so a district of many units stays readable.
      el.style.height = Math.max(240, 90 + 30 * c.rows.length) + "px";
    }
    if (c.kind === "hbar") {
      // One band per category: a district of many units or a long ranking
      // stays readable, a single unit is not one fat bar.
      el.style.height = Math.max(160, 90 + 30 * c.categories.length) + "px";
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(c.kind === "heatmap" ? heatmap(c) : barOrLine(c));
    chart.on("click", function (p) {
      if (c.kind === "heatmap") { go(p.data && p.data.link); return; }
      var s = c.series[p.seriesIndex];
      if (!s || !s.links) return;
      var i = c.kind === "hbar" ? s.values.length - 1 - p.dataIndex : p.dataIndex;
      go(s.links[i]);
    });
    el.setAttribute("data-chart-ready", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
