// While a pack is queued or being built, ask for its status every few seconds and reload
// the page once it is ready or has failed. Without scripts the page offers a refresh link.
const progress = document.getElementById("pack-progress");
if (progress && progress.dataset.inProgress === "true") {
  const url = progress.dataset.statusUrl;
  let last = null;
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (!status.in_progress) {
          window.location.reload();
          return;
        }
        if (last !== null && status.status !== last) window.location.reload();
        last = status.status;
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 2000);
}
