//! A command line for the users/items service, through the typed client:
//! the endpoints' own declarations and models, called over HTTP.
//!
//! ```text
//! users-items-cli register EMAIL PASSWORD
//! users-items-cli login EMAIL PASSWORD          # prints a token
//! users-items-cli add TITLE [DESCRIPTION]       # with API_TOKEN set
//! users-items-cli list [QUERY]                  # with API_TOKEN set
//! ```
//!
//! `API_URL` is the service (default `http://127.0.0.1:8000`); `API_TOKEN`
//! the token `login` printed. An answer the service refuses is printed
//! with its status, and the command exits 1.

use std::process::ExitCode;

use fastrs::client::{Client, ClientError};
use fastrs::model::Email;
use fastrs::security::OAuth2PasswordRequestForm;
use users_items::api::routes::items::{create_item, list_items};
use users_items::api::routes::users::{login, register};
use users_items::models::item::ItemCreate;
use users_items::models::user::UserCreate;

const USAGE: &str = "usage: users-items-cli register EMAIL PASSWORD | login EMAIL PASSWORD | add TITLE [DESCRIPTION] | list [QUERY]
  API_URL: the service (default http://127.0.0.1:8000); API_TOKEN: the token `login` printed";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let url = std::env::var("API_URL").unwrap_or_else(|_| "http://127.0.0.1:8000".to_owned());
    let mut client = Client::new(url);
    if let Ok(token) = std::env::var("API_TOKEN") {
        client = client.bearer(&token);
    }
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match run(&client, &words).await {
        Ok(Some(output)) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Ok(None) => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("users-items-cli: {error}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: commands
/// Runs one command; `Ok(None)` when the words are no command.
async fn run(client: &Client, words: &[&str]) -> Result<Option<String>, Failure> {
    let output = match words {
        ["register", email, password] => {
            let email = Email::parse(email).map_err(Failure::Usage)?;
            let password = (*password).to_owned();
            let user = client.register((UserCreate { email, password },)).await?;
            format!("registered user {} ({})", user.id, user.email)
        }
        ["login", email, password] => {
            let form = OAuth2PasswordRequestForm {
                grant_type: Some("password".to_owned()),
                username: (*email).to_owned(),
                password: (*password).to_owned(),
                scopes: Vec::new(),
                client_id: None,
                client_secret: None,
            };
            client.login((form,)).await?.access_token
        }
        ["add", title, rest @ ..] if rest.len() <= 1 => {
            let item = ItemCreate {
                title: (*title).to_owned(),
                description: rest.first().map(|d| (*d).to_owned()),
            };
            let item = client.create_item((item,)).await?;
            format!("added item {}: {}", item.id, item.title)
        }
        ["list", rest @ ..] if rest.len() <= 1 => {
            let q = rest.first().map(|q| (*q).to_owned());
            let items = client.list_items((0, 100, q)).await?;
            let lines: Vec<String> = items
                .iter()
                .map(|item| format!("{}\t{}", item.id, item.title))
                .collect();
            lines.join("\n")
        }
        _ => return Ok(None),
    };
    Ok(Some(output))
}
// ANCHOR_END: commands

/// Why a command failed: the service's answer, or an argument.
enum Failure {
    Service(ClientError),
    Usage(String),
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        Failure::Service(error)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Service(error) => write!(f, "{error}"),
            Failure::Usage(reason) => write!(f, "{reason}"),
        }
    }
}
