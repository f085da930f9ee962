//! Offline use: registers the service worker (release builds served over http or https), and
//! tells the agent when a new version is ready, activating it only when they say so.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerRegistration, ServiceWorkerState};

/// What the app knows about working offline, for the banner and the Data page.
#[derive(Clone, Copy)]
pub struct Offline {
    /// A new version is installed and waiting for the agent.
    pub update_ready: RwSignal<bool>,
    /// Whether this page can work offline, or why not.
    pub status: RwSignal<Result<bool, String>>,
    /// Whether the browser will keep the site's data (None: it doesn't say).
    pub persisted: RwSignal<Option<bool>>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
}

/// Runs `f` once the page is idle (`requestIdleCallback`, at most 3 s away), else in a second.
fn when_idle(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = Closure::once_into_js(f);
    let idle = js_sys::Reflect::get(&window, &"requestIdleCallback".into())
        .ok()
        .and_then(|v| v.dyn_into::<js_sys::Function>().ok());
    let asked = idle.is_some_and(|idle| {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"timeout".into(), &3000.into());
        idle.call2(&window, &callback, &options).is_ok()
    });
    if !asked {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 1000);
    }
}

impl Offline {
    /// `own_page`: false when mounted into a host page, whose address the service worker
    /// would not belong to; the host page decides about caching then.
    pub fn start(own_page: bool) -> Offline {
        let offline = Offline {
            update_ready: RwSignal::new(false),
            status: RwSignal::new(Ok(false)),
            persisted: RwSignal::new(None),
            registration: StoredValue::new_local(None),
        };
        if own_page {
            // After the first screen, when the page is idle: on a first visit the worker's
            // install downloads the rest of the site (the console), which must not compete
            // with the desk's own start on a slow line.
            when_idle(move || offline.register());
        } else {
            offline.status.set(Err(
                "the app is mounted into another page, which decides what is kept offline".into(),
            ));
        }
        offline.ask_to_persist();
        offline
    }

    /// Asks the browser to keep the site's data (Chromium grants it to installed or often
    /// used sites), and records the answer.
    fn ask_to_persist(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let navigator = window.navigator();
        if !js_sys::Reflect::has(&navigator, &"storage".into()).unwrap_or(false) {
            return;
        }
        let storage = navigator.storage();
        leptos::task::spawn_local(async move {
            let granted = match storage.persisted() {
                Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
                Err(_) => None,
            };
            let granted = match granted {
                Some(false) => match storage.persist() {
                    Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
                    Err(_) => Some(false),
                },
                other => other,
            };
            self.persisted.set(granted);
        });
    }

    fn register(self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let protocol = window.location().protocol().unwrap_or_default();
        if cfg!(debug_assertions) {
            self.status.set(Err(
                "this is a development build, which is never cached".into()
            ));
            return;
        }
        if protocol != "https:" && protocol != "http:" {
            self.status.set(Err(
                "the app was opened from a file, where browsers allow no offline cache".into(),
            ));
            return;
        }
        let navigator = window.navigator();
        if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
            self.status.set(Err(
                "this browser or page does not allow service workers".into()
            ));
            return;
        }
        let container = navigator.service_worker();
        let promise = container.register("./sw.js");
        leptos::task::spawn_local(async move {
            let registration = match JsFuture::from(promise).await {
                Ok(r) => r.unchecked_into::<ServiceWorkerRegistration>(),
                Err(e) => {
                    let why = js_sys::Reflect::get(&e, &"message".into())
                        .ok()
                        .and_then(|m| m.as_string())
                        .unwrap_or_else(|| "the browser refused".into());
                    self.status
                        .set(Err(format!("the offline copy couldn't be set up ({why})")));
                    return;
                }
            };
            self.status.set(Ok(true));
            let controlled = move || {
                web_sys::window()
                    .map(|w| w.navigator().service_worker().controller().is_some())
                    .unwrap_or(false)
            };
            if registration.waiting().is_some() && controlled() {
                self.update_ready.set(true);
            }
            let reg = registration.clone();
            let on_found = Closure::<dyn FnMut()>::new(move || {
                let Some(installing) = reg.installing() else {
                    return;
                };
                let worker = installing.clone();
                let on_state = Closure::<dyn FnMut()>::new(move || {
                    if worker.state() == ServiceWorkerState::Installed && controlled() {
                        self.update_ready.set(true);
                    }
                });
                installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
                on_state.forget();
            });
            registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
            on_found.forget();
            self.registration.set_value(Some(registration));
        });
    }

    /// Activates the waiting version and reloads once it controls the page.
    pub fn apply_update(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let container = window.navigator().service_worker();
        let reload = Closure::<dyn FnMut()>::new(move || {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
        reload.forget();
        let waiting = self
            .registration
            .with_value(|r| r.as_ref().and_then(|r| r.waiting()));
        match waiting {
            Some(worker) => {
                let _ = worker.post_message(&"escdesk:activate".into());
            }
            None => {
                let _ = window.location().reload();
            }
        }
    }

    /// Asks the browser to look for a new version now (it also does so on each visit).
    pub fn check(&self) {
        self.registration.with_value(|r| {
            if let Some(r) = r {
                let _ = r.update();
            }
        });
    }
}
