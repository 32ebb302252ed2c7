// MiKO patient platform — sample build standing in for the real Vite bundle (see README "The app's build").
// Renders from the runtime config the infrastructure writes at deploy; no inline script or style anywhere.
const root = document.getElementById("root");

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function renderPage(config, version) {
  root.replaceChildren();
  const header = el("header", undefined, "site-header");
  header.append(el("h1", config.appName, "app-name"));
  header.append(el("p", `Environment: ${config.environment}`, "environment"));
  root.append(header);

  const main = el("main");
  const route = window.location.pathname;
  main.append(el("h2", route.startsWith("/booking") ? "Book a consultation" : "Welcome", "route-title"));
  main.append(el("p", `Route: ${route}`, "route"));
  const features = el("ul", undefined, "features");
  for (const [name, enabled] of Object.entries(config.features || {})) {
    features.append(el("li", `${name}: ${enabled ? "on" : "off"}`));
  }
  main.append(features);
  main.append(el("p", `Questions? ${config.contactEmail} · ${config.contactPhone}`, "contact"));
  root.append(main);

  const footer = el("footer", `Release ${version.release || "unknown"}`, "release");
  root.append(footer);
  document.documentElement.dataset.ready = "true";
}

function renderError(message) {
  root.replaceChildren(el("p", message, "load-error"));
  document.documentElement.dataset.ready = "error";
}

async function fetchJson(path) {
  const response = await fetch(path, { cache: "no-cache", credentials: "same-origin" });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

Promise.all([fetchJson("/config.json"), fetchJson("/version.json").catch(() => ({}))])
  .then(([config, version]) => renderPage(config, version))
  .catch((error) => renderError(`The app could not load its configuration (${error.message}).`));
