/* Charts of the cohort overview, drawn with the vendored Chart.js from data the page carries in
   json_script elements (no inline script: the site's CSP allows only its own files). */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  var palette = ["#1f3b57", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6c757d"];

  function drawSteps() {
    var data = readJson("steps-by-week");
    var canvas = document.getElementById("steps-chart");
    if (!data || !canvas || !data.labels.length) return;
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [{ label: "Steps done", data: data.values, borderColor: palette[0], backgroundColor: palette[0], stepped: true }],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    });
  }

  function drawActivities() {
    var data = readJson("activities-by-month");
    var canvas = document.getElementById("activities-chart");
    if (!data || !canvas || !data.labels.length) return;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          return { label: series.label, data: series.values, backgroundColor: palette[index % palette.length] };
        }),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }

  function draw() {
    if (!window.Chart) return;
    drawSteps();
    drawActivities();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
