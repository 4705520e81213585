// The fairness chart (ECharts, vendored): received against the expected share per consultant,
// from the table's figures carried on the chart's data attributes (no inline script: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("fairness-chart");
  if (!el || !window.echarts || !el.dataset.names) return;
  const split = (v) => (v ? v.split("|") : []);
  const chart = window.echarts.init(el, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [el.dataset.labelTaken, el.dataset.labelExpected] },
    xAxis: { type: "category", data: split(el.dataset.names) },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      { name: el.dataset.labelTaken, type: "bar", data: split(el.dataset.taken).map(Number) },
      { name: el.dataset.labelExpected, type: "line", data: split(el.dataset.expected).map(Number) },
    ],
  });
  el.dataset.ready = "1";
  window.addEventListener("resize", () => chart.resize());
});
