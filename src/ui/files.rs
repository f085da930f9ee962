//! Files in and out of the browser: downloads built from text, and reading a picked file's bytes.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offers `text` as a download named `name`. The error says what the browser refused.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |what: &str, e: JsValue| {
        format!(
            "The browser refused to {what} ({}).",
            e.as_string()
                .or_else(|| {
                    js_sys::Reflect::get(&e, &"message".into())
                        .ok()
                        .and_then(|m| m.as_string())
                })
                .unwrap_or_else(|| "no reason given".into())
        )
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| fail("prepare the file", e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| fail("prepare the file", e))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("There is no page to download from.")?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| fail("start the download", e))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download reads the URL after this returns; free it a little later.
    leptos::prelude::set_timeout(
        move || {
            let _ = Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// The file chosen in a file input's change event; clears the input so the same file can be
/// chosen again.
pub fn picked(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

/// The bytes of a file the user picked, for the core to decode (`core::file_text`). A file over
/// `limit` bytes is refused unread with the message `too_large`: reading a 30 MB file only to
/// say it is too large kept the screen waiting for seconds.
pub async fn read_bytes(
    file: web_sys::File,
    limit: usize,
    too_large: String,
) -> Result<Vec<u8>, String> {
    if file.size() > limit as f64 {
        return Err(too_large);
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The browser couldn't read that file.".to_string())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
