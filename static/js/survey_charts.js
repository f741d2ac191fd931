/* Survey results: one bar chart per agreement-scale question, drawn with the vendored Chart.js from
   the json_script element "survey-charts" (no inline script: the site's CSP allows only its own files).
   Each bar is the share of that side's answers; the counts are in the table under each chart. */
(function () {
  "use strict";

  var palette = ["#1f3b57", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#6c757d"];

  function draw() {
    var element = document.getElementById("survey-charts");
    if (!window.Chart || !element) return;
    JSON.parse(element.textContent).forEach(function (chart) {
      var canvas = document.getElementById(chart.canvas);
      if (!canvas) return;
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (series, index) {
            return { label: series.label, data: series.values, backgroundColor: palette[index % palette.length] };
          }),
        },
        options: {
          aspectRatio: 3,
          scales: { y: { beginAtZero: true, max: 100, ticks: { callback: function (value) { return value + "%"; } } } },
          plugins: {
            tooltip: { callbacks: { label: function (item) { return item.dataset.label + ": " + item.raw + "%"; } } },
          },
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
