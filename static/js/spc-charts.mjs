// The provider page's SPC charts, drawn in the browser from the compact series the server wrote
// once in <script type="application/json" id="spc-series"> (reporting.charts.indicator_series):
// each chart is built with plotly (from our static files) only when it scrolls into view.
// Every chart's figures are also on the page as a table (its text alternative).

const GREY = "#768692";
const LIMITS = "#425563";
const TARGET = "#da291c";
const ORANGE = "#ed8b00"; // special cause, concerning; and the amber threshold
const IMPROVE = "#41b6e6"; // special cause, improving
const NHS_BLUE = "#005eb8";

function level(x, y, name, line) {
  return { x, y: x.map(() => y), mode: "lines", name, line, hoverinfo: "name+y" };
}

export function traces(series, labels) {
  const { x, y } = series;
  const data = [
    { x, y, mode: "lines+markers", name: labels.value, line: { color: GREY }, marker: { color: GREY, size: 7 } },
  ];
  if (series.mean !== undefined) {
    data.push(level(x, series.mean, labels.mean, { color: LIMITS, dash: "solid", width: 1 }));
    data.push(level(x, series.upper, labels.upper, { color: LIMITS, dash: "dash", width: 1 }));
    data.push(level(x, series.lower, labels.lower, { color: LIMITS, dash: "dash", width: 1 }));
    const special = [
      ...series.concerning.map((n) => [n, ORANGE]),
      ...series.improving.map((n) => [n, IMPROVE]),
    ].sort((a, b) => a[0] - b[0]);
    if (special.length) {
      data.push({
        x: special.map(([n]) => x[n]),
        y: special.map(([n]) => y[n]),
        mode: "markers",
        name: labels.special,
        marker: { color: special.map(([, colour]) => colour), size: 11, symbol: "circle" },
      });
    }
  }
  if (series.target !== undefined) {
    data.push(level(x, series.target, labels.target, { color: TARGET, dash: "dot", width: 2 }));
  }
  if (series.amber !== undefined) {
    data.push(level(x, series.amber, labels.amber, { color: ORANGE, dash: "dot", width: 1 }));
  }
  if (series.trajectory) {
    data.push({
      x: series.trajectory.x,
      y: series.trajectory.y,
      mode: "lines+markers",
      name: labels.trajectory,
      line: { color: NHS_BLUE, dash: "longdash" },
    });
  }
  return data;
}

export function layout(series) {
  return {
    // The page's heading names the chart; the title is kept for the image plotly exports.
    title: { text: series.title, font: { size: 13 } },
    height: 320,
    margin: { l: 50, r: 16, t: 36, b: 40 },
    yaxis: { title: { text: series.unit } },
    // Month names in the page's language, from the server.
    xaxis: { type: "date", tickvals: series.ticks[0], ticktext: series.ticks[1] },
    legend: { orientation: "h", y: -0.2 },
    plot_bgcolor: "#ffffff",
    font: { family: "Frutiger W01, Arial, sans-serif" },
  };
}

function draw(holder, charts, labels) {
  const series = charts[holder.dataset.spc];
  if (!series || !window.Plotly) return;
  window.Plotly.newPlot(holder, traces(series, labels), layout(series), { responsive: true, displaylogo: false });
  holder.dataset.drawn = "true";
}

const block = document.getElementById("spc-series");
if (block) {
  const { labels, charts } = JSON.parse(block.textContent);
  const holders = document.querySelectorAll("[data-spc]");
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(entry.target, charts, labels);
          }
        }
      },
      { rootMargin: "200px 0px" }, // start just before the chart comes into view
    );
    for (const holder of holders) observer.observe(holder);
  } else {
    for (const holder of holders) draw(holder, charts, labels);
  }
}
