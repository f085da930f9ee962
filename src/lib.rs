//! Escalation Desk: an escalation assistant for customer-support agents, in the browser.
//!
//! [`core`] is pure and browser-free; [`store`] is the only code that touches storage;
//! `ui` (WebAssembly only) draws the screens on top of both. See ARCHITECTURE.md.

pub mod core;
pub mod store;
#[cfg(target_arch = "wasm32")]
pub mod ui;
