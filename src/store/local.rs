//! The browser's localStorage as a [`Backend`]. Written on web-sys directly rather than
//! gloo-storage: gloo's `LocalStorage::raw()` panics when the browser refuses storage, and we
//! must turn that into a message and carry on in memory.

use wasm_bindgen::JsCast;
use web_sys::{DomException, Storage};

use super::{Backend, StorageError};

pub struct LocalBackend {
    storage: Storage,
}

impl LocalBackend {
    /// The page's localStorage, or why it can't be had.
    pub fn open() -> Result<LocalBackend, StorageError> {
        let window = web_sys::window().ok_or(StorageError::Unavailable)?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(LocalBackend { storage }),
            Ok(None) => Err(StorageError::Unavailable),
            Err(e) => Err(classify(e)),
        }
    }
}

fn classify(err: wasm_bindgen::JsValue) -> StorageError {
    match err.dyn_into::<DomException>() {
        Ok(dom) => StorageError::from_dom(&dom.name(), dom.code(), &dom.message()),
        Err(other) => StorageError::Other(
            other
                .as_string()
                .unwrap_or_else(|| "unknown error".to_string()),
        ),
    }
}

impl Backend for LocalBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage.get_item(key).map_err(classify)
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        self.storage.set_item(key, value).map_err(classify)
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.storage.remove_item(key).map_err(classify)
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        // One call for all the keys, as JSON, rather than one call per key: a store of 5,000
        // cases is listed at every start.
        let all = js_sys::JSON::stringify(&js_sys::Object::keys(&self.storage))
            .ok()
            .and_then(|json| json.as_string())
            .and_then(|json| crate::core::json::parse::<Vec<String>>(&json).ok());
        if let Some(keys) = all {
            return Ok(keys);
        }
        let n = self.storage.length().map_err(classify)?;
        let mut keys = Vec::with_capacity(n as usize);
        for i in 0..n {
            if let Some(key) = self.storage.key(i).map_err(classify)? {
                keys.push(key);
            }
        }
        Ok(keys)
    }
}
