// Draw every chart on the page from the JSON the server rendered beside it (no inline script).
for (const holder of document.querySelectorAll("[data-chart]")) {
  const figure = JSON.parse(document.getElementById(holder.dataset.chart).textContent);
  window.Plotly.newPlot(holder, figure.data, figure.layout, { responsive: true, displaylogo: false });
}
