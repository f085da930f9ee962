//! Mounts the console (console.html): the team lead's screens. A wasm of its own, so the
//! desk that agents and host pages load doesn't carry them. Everything lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    escalation_desk::ui::mount_console();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Escalation Desk runs in the browser: see README.md for the command that serves it.");
}
