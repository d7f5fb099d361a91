// The typed client does not send files: an endpoint taking one compiles
// (the server is unchanged), and calling it through the client is the
// error, naming the type.
use fastrs::client::Client;
use fastrs::prelude::*;

#[endpoint(POST "/upload")]
async fn upload(file: UploadFile) -> String {
    file.filename().unwrap_or_default().to_owned()
}

async fn caller(client: Client, file: UploadFile) {
    let _ = client.upload((file,)).await;
}

fn main() {
    let _ = App::new().route(upload);
    let _ = caller;
}
