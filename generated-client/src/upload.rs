//! The virtual background upload with a real file part.
//!
//! The spec describes the upload's `file` form field as a plain `string`
//! ("the virtual background file's path"), as Zoom's reference text does, so
//! the generated [`crate::builder::UploadVb`] sends it as a text field
//! without a file name or content type. Zoom expects the file itself. Until
//! the spec marks the field as binary (`contentMediaType`, after which the
//! generated method takes a `reqwest::multipart::Part` and this one can go),
//! [`Client::upload_virtual_background`] sends the same operation with a
//! `file` part built by [`crate::file_part_from_path`] or
//! [`crate::file_part_from_bytes`]. It goes through the same hooks as the
//! generated methods, so the runtime throttles it by `uploadVB`'s rate-limit
//! label, authorizes it and decodes its documented answers the same way.

use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue, encode_path};
use reqwest::multipart::{Form, Part};

use crate::{Client, types};

/// The generated method this one stands in for; its metadata entry is the
/// one the runtime uses.
pub(crate) const UPLOAD_VB_METHOD: &str = "upload_vb";

/// What a successful upload returns: the stored file's description.
pub type UploadedVirtualBackground =
    types::AccountSettingsResponseInMeetingVirtualBackgroundSettingsFilesItem;

impl Client {
    /// Upload a virtual background file (`POST
    /// /accounts/{accountId}/settings/virtual_backgrounds`) as a
    /// `multipart/form-data` file part.
    ///
    /// ```no_run
    /// # async fn example(client: &zoom_accounts::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let file = zoom_accounts::file_part_from_path("beach.png").await?;
    /// let uploaded = client
    ///     .upload_virtual_background()
    ///     .account_id("me")
    ///     .file(file)
    ///     .send()
    ///     .await?;
    /// println!("stored as {:?}", uploaded.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn upload_virtual_background(&self) -> UploadVirtualBackground<'_> {
        UploadVirtualBackground {
            client: self,
            account_id: None,
            file: None,
        }
    }
}

/// Builder of [`Client::upload_virtual_background`].
#[derive(Debug)]
pub struct UploadVirtualBackground<'a> {
    client: &'a Client,
    account_id: Option<String>,
    file: Option<Part>,
}

impl<'a> UploadVirtualBackground<'a> {
    /// The account ID. Pass `me` to address the calling (master) account
    /// itself.
    pub fn account_id(mut self, value: impl ToString) -> Self {
        self.account_id = Some(value.to_string());
        self
    }

    /// The file to upload (JPG/JPEG, GIF or PNG; at most 15 MB).
    pub fn file(mut self, part: Part) -> Self {
        self.file = Some(part);
        self
    }

    /// Sends the request. The answers are those of the generated
    /// `upload_vb`: `201` with the file's description, `400`, `404` and
    /// `429` as [`Error::ErrorResponse`] with Zoom's error body.
    pub async fn send(self) -> Result<ResponseValue<UploadedVirtualBackground>, Error<types::ZoomError>> {
        let Self {
            client,
            account_id,
            file,
        } = self;
        let account_id = account_id
            .ok_or_else(|| Error::InvalidRequest("account_id was not initialized".to_string()))?;
        let file = file.ok_or_else(|| Error::InvalidRequest("file was not initialized".to_string()))?;
        let url = format!(
            "{}/accounts/{}/settings/virtual_backgrounds",
            client.baseurl,
            encode_path(&account_id)
        );
        // No `Content-Type` here: reqwest sets `multipart/form-data` with the
        // form's boundary.
        let mut request = client
            .client
            .post(url)
            .header(
                reqwest::header::ACCEPT,
                reqwest::header::HeaderValue::from_static("application/json"),
            )
            .header(
                reqwest::header::HeaderName::from_static("api-version"),
                reqwest::header::HeaderValue::from_static(Client::api_version()),
            )
            .multipart(Form::new().part("file", file))
            .build()?;
        let info = OperationInfo {
            operation_id: UPLOAD_VB_METHOD,
        };
        client.pre(&mut request, &info).await?;
        let result = client.exec(request, &info).await;
        client.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            201 => ResponseValue::from_response(response).await,
            400 | 404 | 429 => Err(Error::ErrorResponse(
                ResponseValue::from_response(response).await?,
            )),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path and method above are written by hand; they must stay those
    /// of the operation whose metadata the runtime applies.
    #[test]
    fn stands_in_for_the_generated_upload_operation() {
        let operation = crate::metadata::by_method_name(UPLOAD_VB_METHOD)
            .expect("upload_vb is in the metadata table");
        assert_eq!(operation.operation_id, "uploadVB");
        assert_eq!(operation.method, "POST");
        assert_eq!(
            operation.path,
            "/accounts/{accountId}/settings/virtual_backgrounds"
        );
        assert!(operation.multipart);
    }
}
