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
            header_name: "item-id",
            header_lookup: ::fastrs::decl::StaticHeaderName::new("item-id"),
            ..::fastrs::decl::ParamSpec::named("item_id")
        };
        static __FASTRS_P1: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec {
            alias: "x-token",
            header_name: "x-token",
            header_lookup: ::fastrs::decl::StaticHeaderName::new("x-token"),
            ..::fastrs::decl::ParamSpec::named("token")
        };
        static __FASTRS_P2: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
            "user",
        );
        static __FASTRS_P3: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
            "db",
        );
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
