/* The statistics dashboard's chart, drawn by Chart.js (vendored) from the page's JSON data; the
   table below it holds the same figures for screen readers and for printing. */
(function () {
  "use strict";
  var PALETTE = ["#0b4f9c", "#8a1c1c", "#1d6b35", "#7a4b00"];
  document.addEventListener("DOMContentLoaded", function () {
    var canvas = document.getElementById("report-chart");
    if (!canvas || !window.Chart) { return; }
    var data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
    var perRow = data.series.length * 14 + 14;
    canvas.parentNode.style.height = Math.max(180, data.labels.length * perRow + 90) + "px";
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: PALETTE[i % PALETTE.length] };
        })
      },
      options: {
        indexAxis: "y",
        locale: document.documentElement.lang || "vi",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          title: { display: true, text: data.title, color: "#1b1f24", font: { size: 15 } },
          legend: { position: "top", labels: { color: "#1b1f24" } }
        },
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0, color: "#1b1f24" } },
          y: { ticks: { color: "#1b1f24", autoSkip: false } }
        }
      }
    });
  });
})();
