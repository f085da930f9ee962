//! Storage in memory: what the app falls back to when the browser refuses localStorage (the
//! agent can still work and download everything), and what the native tests run against.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::{Backend, StorageError};

#[derive(Default)]
pub struct MemoryBackend {
    map: RefCell<BTreeMap<String, String>>,
    /// Characters (keys and values) it holds at most, as a browser's quota does.
    quota: Option<usize>,
}

impl MemoryBackend {
    pub fn with_quota(quota: usize) -> MemoryBackend {
        MemoryBackend {
            quota: Some(quota),
            ..MemoryBackend::default()
        }
    }

    fn used_without(&self, key: &str) -> usize {
        self.map
            .borrow()
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| k.chars().count() + v.chars().count())
            .sum()
    }
}

impl Backend for MemoryBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        Ok(self.map.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        if let Some(quota) = self.quota {
            let size = key.chars().count() + value.chars().count();
            if self.used_without(key) + size > quota {
                return Err(StorageError::Full);
            }
        }
        self.map
            .borrow_mut()
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StorageError> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        Ok(self.map.borrow().keys().cloned().collect())
    }
}

/// Lets a test keep a handle on the backend it gave the store.
impl<B: Backend> Backend for std::rc::Rc<B> {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        (**self).get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), StorageError> {
        (**self).set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), StorageError> {
        (**self).remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, StorageError> {
        (**self).keys()
    }
}
