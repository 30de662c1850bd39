// Recoup's keyboard shortcuts and small form helpers. The pages are server-rendered and work
// without this file; it only saves keystrokes.
//   /          focus the search box (the page's own, else the one in the top bar)
//   Esc        leave the search box
//   ↓ / ↑      from the search box to the results, and from row to row (also j / k)
//   p          (and any element with data-key="p") focus the payment amount on an account
//   w          (any link with data-key-go="w") go to the work queue; o opens the full account from it
//   1–9, 0, -  in the outcome form of the work queue, choose the outcome and move on to the notes
//   Ctrl+Enter send a form marked data-ctrl-enter from any of its fields
(() => {
    "use strict";

    const typing = (element) =>
        element instanceof HTMLElement &&
        (element.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(element.tagName));

    const visible = (element) => element.offsetParent !== null;

    const searchBox = () => [...document.querySelectorAll("[data-search]")].find(visible);

    const rowLinks = () => [...document.querySelectorAll("[data-row-link]")].filter(visible);

    const moveInRows = (step) => {
        const links = rowLinks();
        if (links.length === 0) {
            return false;
        }

        const at = links.indexOf(document.activeElement);
        const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.min(links.length - 1, Math.max(0, at + step));
        links[next].focus();
        links[next].scrollIntoView({ block: "nearest" });
        return true;
    };

    document.addEventListener("keydown", (event) => {
        const target = event.target;
        if (!event.defaultPrevented && (event.ctrlKey || event.metaKey) && event.key === "Enter") {
            const form = target instanceof HTMLElement ? target.closest("form[data-ctrl-enter]") : null;
            if (form) {
                event.preventDefault();
                form.requestSubmit();
            }
            return;
        }

        if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }

        if (target instanceof HTMLElement && target.matches("[data-search]")) {
            if (event.key === "Escape") {
                target.blur();
                event.preventDefault();
            } else if (event.key === "ArrowDown" && moveInRows(1)) {
                event.preventDefault();
            }
            return;
        }

        if (typing(target) && !(target instanceof HTMLInputElement && target.type === "radio")) {
            return;
        }

        const outcomes = (target instanceof HTMLElement ? target.closest("[data-outcomes]") : null) ?? document.querySelector("[data-outcomes]");
        if (outcomes && event.key.length === 1) {
            const choice = outcomes.querySelector(`input[type=radio][data-shortcut="${CSS.escape(event.key)}"]`);
            if (choice) {
                event.preventDefault();
                choice.checked = true;
                choice.dispatchEvent(new Event("change", { bubbles: true }));
                outcomes.querySelector("[data-after-outcome]")?.focus();
                return;
            }
        }

        if (event.key.length === 1 && !event.shiftKey) {
            const link = [...document.querySelectorAll("a[data-key-go]")].find((element) => element.dataset.keyGo === event.key);
            if (link) {
                event.preventDefault();
                window.location.assign(link.href);
                return;
            }
        }

        if (event.key === "/") {
            const box = searchBox();
            if (box) {
                event.preventDefault();
                box.focus();
                box.select();
            }
            return;
        }

        if ((event.key === "ArrowDown" || event.key === "j") && rowLinks().includes(document.activeElement)) {
            event.preventDefault();
            moveInRows(1);
            return;
        }

        if ((event.key === "ArrowUp" || event.key === "k") && rowLinks().includes(document.activeElement)) {
            event.preventDefault();
            const links = rowLinks();
            if (links.indexOf(document.activeElement) === 0) {
                searchBox()?.focus();
            } else {
                moveInRows(-1);
            }
            return;
        }

        if (event.key.length === 1 && !event.shiftKey) {
            const shortcut = [...document.querySelectorAll("[data-key]")].find(
                (element) => element.dataset.key === event.key && visible(element));
            if (shortcut) {
                event.preventDefault();
                shortcut.focus();
                shortcut.scrollIntoView({ block: "center" });
            }
        }
    });

    // A form that moves money is sent once: a second click while the first is on its way does nothing.
    document.addEventListener("submit", (event) => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.matches("[data-submit-once]")) {
            return;
        }

        if (form.dataset.sent === "true") {
            event.preventDefault();
            return;
        }

        form.dataset.sent = "true";
        form.querySelectorAll("button[type=submit]").forEach((button) => {
            button.dataset.label = button.textContent;
            button.setAttribute("aria-disabled", "true");
            button.textContent = button.dataset.busy || "Sending…";
        });
    });

    // Coming back with the browser's Back button restores a page from cache: let its forms be sent again.
    window.addEventListener("pageshow", (event) => {
        if (event.persisted) {
            document.querySelectorAll("form[data-sent]").forEach((form) => {
                delete form.dataset.sent;
                form.querySelectorAll("button[data-label]").forEach((button) => {
                    button.textContent = button.dataset.label;
                    button.removeAttribute("aria-disabled");
                });
            });
        }
    });

    // A plan form marked data-plan-preview shows its schedule as the terms are typed, from
    // POST /api/plans/preview (nothing is created until the form is sent).
    const previewPlan = (form) => {
        const rows = form.querySelector("[data-preview-rows]");
        const problem = form.querySelector("[data-preview-error]");
        const value = (name) => form.querySelector(`[name="${name}"]`)?.value.trim() ?? "";
        const body = {
            total: form.dataset.total,
            currency: form.dataset.currency,
            down_payment: value("PlanForm.DownPayment") || "0",
            frequency: value("PlanForm.Frequency"),
            installments: Number.parseInt(value("PlanForm.Installments"), 10) || null,
            first_due: value("PlanForm.FirstDue"),
        };
        fetch("/api/plans/preview", {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify(body),
        }).then(async (response) => {
            const answer = await response.json();
            if (!response.ok) {
                const messages = answer.errors ? Object.values(answer.errors).flat() : [answer.detail];
                problem.textContent = messages.join(" ");
                problem.hidden = false;
                return;
            }

            problem.hidden = true;
            rows.replaceChildren(...answer.installments.map((i) => {
                const row = document.createElement("tr");
                for (const [text, numeric] of [[String(i.number), false], [i.due, false], [i.amount, true]]) {
                    const cell = document.createElement("td");
                    cell.textContent = text;
                    if (numeric) {
                        cell.className = "num";
                    }
                    row.append(cell);
                }
                return row;
            }));
        }).catch(() => {
            problem.textContent = "The schedule could not be worked out just now; the plan is still checked when you set it up.";
            problem.hidden = false;
        });
    };

    for (const form of document.querySelectorAll("form[data-plan-preview]")) {
        let timer = 0;
        const later = () => {
            clearTimeout(timer);
            timer = setTimeout(() => previewPlan(form), 200);
        };
        form.addEventListener("input", later);
        form.addEventListener("change", later);
        previewPlan(form);
    }

    // A template form marked data-template-preview renders the draft against the sample account as it is typed,
    // from POST /api/templates/{key}/{channel}/{language}/preview (nothing is saved until the form is sent).
    const previewTemplate = (form) => {
        const pane = document.querySelector("[data-template-live]");
        if (!pane) {
            return;
        }

        const value = (name) => form.querySelector(`[name="${name}"]`)?.value ?? null;
        fetch(form.dataset.previewUrl, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ subject: value("Input.Subject"), body: value("Input.Body") ?? "" }),
        }).then(async (response) => {
            const answer = await response.json();
            const error = pane.querySelector("[data-live-error]");
            pane.hidden = false;
            if (!response.ok) {
                error.textContent = (answer.problems ?? []).map((p) => `${p.part}, line ${p.line}: ${p.message}`).join(" ") || answer.detail;
                error.hidden = false;
                return;
            }

            error.hidden = true;
            pane.querySelector("[data-live-subject]").textContent = answer.subject ?? "";
            const frame = pane.querySelector("[data-live-html]");
            const text = pane.querySelector("[data-live-text]");
            frame.hidden = !answer.html;
            text.hidden = Boolean(answer.html);
            if (answer.html) {
                frame.srcdoc = answer.html;
            } else {
                text.textContent = answer.text;
            }
        }).catch(() => {
            // The preview button still renders on the server.
        });
    };

    for (const form of document.querySelectorAll("form[data-template-preview]")) {
        let timer = 0;
        form.addEventListener("input", () => {
            clearTimeout(timer);
            timer = setTimeout(() => previewTemplate(form), 300);
        });
        previewTemplate(form);
    }
})();
