///
/// (An endpoint: register it with `App::route`.)
fn create_item() -> ::fastrs::pipeline::RouteEndpoint {
    static __FASTRS_P0: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
        "item",
    );
    fn __fastrs_responses(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaErrorResponses as _, ViaNoErrorResponses as _};
        let mut __fastrs_out = ::std::vec::Vec::new();
        ::std::iter::Extend::extend(
            &mut __fastrs_out,
            (&&::fastrs::openapi::Probe::<Result<Json<Item>, HttpError>>::new())
                .error_responses_of(__fastrs_components),
        );
        __fastrs_out
    }
    fn __fastrs_answers(
        __fastrs_components: &mut ::fastrs::model::Components,
        __fastrs_status: u16,
    ) -> ::std::vec::Vec<::fastrs::openapi::ResponseDoc> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Result<Json<Item>, HttpError>>::new())
            .answers_of(__fastrs_components, __fastrs_status)
    }
    fn __fastrs_returns_text() -> bool {
        false
    }
    fn __fastrs_response_schema(
        __fastrs_components: &mut ::fastrs::model::Components,
    ) -> ::core::option::Option<::fastrs::serde_json::Value> {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaJsonSchema as _, ViaNoSchema as _};
        (&&::fastrs::openapi::ModelSchema::<ItemOut>::new())
            .model_schema(__fastrs_components)
    }
    fn __fastrs_response_media() -> ::fastrs::decl::ResponseMedia {
        #[allow(unused_imports)]
        use ::fastrs::openapi::{ViaAnything as _, ViaResponseSchema as _};
        (&&::fastrs::openapi::Probe::<Result<Json<Item>, HttpError>>::new()).media_of()
    }
    static __FASTRS_OPERATION: ::fastrs::decl::Operation = ::fastrs::decl::Operation {
        method: ::fastrs::http::Method::POST,
        path: "/items",
        name: "create_item",
        summary: ::core::option::Option::None,
        description: ::core::option::Option::None,
        tags: &[],
        status: 201u16,
        deprecated: false,
        operation_id: ::core::option::Option::None,
        include_in_schema: true,
        response_schema: __fastrs_response_schema,
        response_media: __fastrs_response_media,
        response_description: ::core::option::Option::None,
        responses: __fastrs_responses,
        answers: __fastrs_answers,
        returns_text: __fastrs_returns_text,
        openapi_extra: ::core::option::Option::None,
        callbacks: &[],
        documents_only: false,
        strict_content_type: ::core::option::Option::None,
    };
    ::fastrs::pipeline::endpoint_at_once_1(
        &__FASTRS_OPERATION,
        ::std::vec![],
        ::fastrs::pipeline::argument::<
            Json<Item>,
            _,
            _,
        >(&__FASTRS_P0, ::core::option::Option::None),
        |(__fastrs_a0,): (Json<Item>,)| match __FastrsEndpoint_create_item::call(
            __fastrs_a0,
        ) {
            ::core::result::Result::Ok(__fastrs_value) => {
                ::fastrs::response::model_response::<
                    ItemOut,
                    _,
                >(
                    &__fastrs_value,
                    ::fastrs::pipeline::status(201u16),
                    ::fastrs::model::Dump {
                        exclude_unset: true,
                        exclude_none: false,
                        exclude_defaults: false,
                        include: ::core::option::Option::None,
                        exclude: &[],
                    },
                )
            }
            ::core::result::Result::Err(__fastrs_error) => {
                ::fastrs::IntoResponse::into_response(__fastrs_error)
            }
        },
    )
}
#[doc(hidden)]
#[allow(non_camel_case_types)]
struct __FastrsEndpoint_create_item;
impl __FastrsEndpoint_create_item {
    fn call(item: Json<Item>) -> Result<Json<Item>, HttpError> {
        Ok(item)
    }
}
