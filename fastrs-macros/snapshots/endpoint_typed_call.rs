///The typed client's call of `GET /items/{item_id}` (endpoint [`read_item()`]).
///
/// `Args` is the tuple of the values sent (path, query, header,
/// cookie and body arguments, in order); `Output` is the success
/// model. See `fastrs::client`.
#[allow(non_camel_case_types)]
pub trait read_item<__FastrsDeclared> {
    /// The values the call sends, in the order of the endpoint's
    /// arguments (dependencies are not sent).
    type Args;
    /// What a success answer holds.
    type Output;
    ///The typed client's call of `GET /items/{item_id}` (endpoint [`read_item()`]).
    fn read_item(
        &self,
        args: Self::Args,
    ) -> impl ::core::future::Future<
        Output = ::core::result::Result<Self::Output, ::fastrs::client::ClientError>,
    > + ::core::marker::Send;
}
impl<
    __FastrsCaller: ::fastrs::client::Caller,
> read_item<
    (
        (i64, (Header<String>, (::fastrs::client::NotSent, (Depends<Db>, ())))),
        ::fastrs::client::Modelled<ItemOut>,
    ),
> for __FastrsCaller
where
    <__FastrsCaller as ::fastrs::client::Caller>::Same<
        (i64, (Header<String>, (::fastrs::client::NotSent, (Depends<Db>, ())))),
    >: ::fastrs::client::ArgList,
    <__FastrsCaller as ::fastrs::client::Caller>::Same<
        ::fastrs::client::Modelled<ItemOut>,
    >: ::fastrs::client::ClientAnswer,
{
    type Args = <<__FastrsCaller as ::fastrs::client::Caller>::Same<
        (i64, (Header<String>, (::fastrs::client::NotSent, (Depends<Db>, ())))),
    > as ::fastrs::client::ArgList>::Values;
    type Output = <<__FastrsCaller as ::fastrs::client::Caller>::Same<
        ::fastrs::client::Modelled<ItemOut>,
    > as ::fastrs::client::ClientAnswer>::Success;
    fn read_item(
        &self,
        args: Self::Args,
    ) -> impl ::core::future::Future<
        Output = ::core::result::Result<Self::Output, ::fastrs::client::ClientError>,
    > + ::core::marker::Send {
        static __FASTRS_P0: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
            name: "item_id",
            alias: "item_id",
            header_name: "item-id",
            header_lookup: ::fastrs::decl::StaticHeaderName::new("item-id"),
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            deprecated: false,
            include_in_schema: true,
            constraints: ::fastrs::model::Constraints {
                min_length: ::core::option::Option::None,
                max_length: ::core::option::Option::None,
                pattern: ::core::option::Option::None,
                gt: ::core::option::Option::None,
                ge: ::core::option::Option::None,
                lt: ::core::option::Option::None,
                le: ::core::option::Option::None,
                multiple_of: ::core::option::Option::None,
                allow_inf_nan: false,
            },
            embed: false,
            body: false,
            use_cache: true,
            scopes: &[],
            examples: ::core::option::Option::None,
            openapi_examples: ::core::option::Option::None,
            required: false,
            websocket_route: false,
            convert_underscores: true,
        };
        static __FASTRS_P1: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
            name: "token",
            alias: "x-token",
            header_name: "x-token",
            header_lookup: ::fastrs::decl::StaticHeaderName::new("x-token"),
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            deprecated: false,
            include_in_schema: true,
            constraints: ::fastrs::model::Constraints {
                min_length: ::core::option::Option::None,
                max_length: ::core::option::Option::None,
                pattern: ::core::option::Option::None,
                gt: ::core::option::Option::None,
                ge: ::core::option::Option::None,
                lt: ::core::option::Option::None,
                le: ::core::option::Option::None,
                multiple_of: ::core::option::Option::None,
                allow_inf_nan: false,
            },
            embed: false,
            body: false,
            use_cache: true,
            scopes: &[],
            examples: ::core::option::Option::None,
            openapi_examples: ::core::option::Option::None,
            required: false,
            websocket_route: false,
            convert_underscores: true,
        };
        static __FASTRS_P2: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
            name: "user",
            alias: "user",
            header_name: "user",
            header_lookup: ::fastrs::decl::StaticHeaderName::new("user"),
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            deprecated: false,
            include_in_schema: true,
            constraints: ::fastrs::model::Constraints {
                min_length: ::core::option::Option::None,
                max_length: ::core::option::Option::None,
                pattern: ::core::option::Option::None,
                gt: ::core::option::Option::None,
                ge: ::core::option::Option::None,
                lt: ::core::option::Option::None,
                le: ::core::option::Option::None,
                multiple_of: ::core::option::Option::None,
                allow_inf_nan: false,
            },
            embed: false,
            body: false,
            use_cache: true,
            scopes: &[],
            examples: ::core::option::Option::None,
            openapi_examples: ::core::option::Option::None,
            required: false,
            websocket_route: false,
            convert_underscores: true,
        };
        static __FASTRS_P3: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
            name: "db",
            alias: "db",
            header_name: "db",
            header_lookup: ::fastrs::decl::StaticHeaderName::new("db"),
            title: ::core::option::Option::None,
            description: ::core::option::Option::None,
            deprecated: false,
            include_in_schema: true,
            constraints: ::fastrs::model::Constraints {
                min_length: ::core::option::Option::None,
                max_length: ::core::option::Option::None,
                pattern: ::core::option::Option::None,
                gt: ::core::option::Option::None,
                ge: ::core::option::Option::None,
                lt: ::core::option::Option::None,
                le: ::core::option::Option::None,
                multiple_of: ::core::option::Option::None,
                allow_inf_nan: false,
            },
            embed: false,
            body: false,
            use_cache: true,
            scopes: &[],
            examples: ::core::option::Option::None,
            openapi_examples: ::core::option::Option::None,
            required: false,
            websocket_route: false,
            convert_underscores: true,
        };
        static __FASTRS_CALL: ::fastrs::client::Call = ::fastrs::client::Call {
            method: ::fastrs::http::Method::GET,
            path: "/items/{item_id}",
        };
        ::fastrs::client::call::<
            <__FastrsCaller as ::fastrs::client::Caller>::Same<
                (i64, (Header<String>, (::fastrs::client::NotSent, (Depends<Db>, ())))),
            >,
            <__FastrsCaller as ::fastrs::client::Caller>::Same<
                ::fastrs::client::Modelled<ItemOut>,
            >,
        >(
            ::fastrs::client::Caller::client(self),
            &__FASTRS_CALL,
            &[&__FASTRS_P0, &__FASTRS_P1, &__FASTRS_P2, &__FASTRS_P3],
            args,
        )
    }
}
