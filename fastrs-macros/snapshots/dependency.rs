///
/// (A dependency provider: `Depends<T, db>` names it, and `Depends<T>` finds it when it is the one provider of `T`.)
#[allow(dead_code)]
fn db() -> __fastrs_db::db {
    __fastrs_db::db {}
}
///
/// (The provider's name in types: `Depends<T, db>`, `#[depends(db)]`.)
#[allow(non_camel_case_types)]
type db = ::fastrs::di::Named<__fastrs_db::db>;
#[doc(hidden)]
#[allow(non_snake_case)]
mod __fastrs_db {
    /// The provider.
    #[allow(non_camel_case_types)]
    #[derive(Debug, Clone, Copy, Default)]
    pub(super) struct db {}
}
impl __fastrs_db::db {
    async fn call(pool: Depends<Pool>) -> Yield<Db> {
        Yield::new(pool.get(), |_| async { Ok(()) })
    }
}
const _: () = {
    static __FASTRS_P0: ::fastrs::decl::ParamSpec = ::fastrs::decl::ParamSpec::named(
        "pool",
    );
    static __FASTRS_PROVIDER: ::fastrs::decl::ProviderDecl = ::fastrs::decl::ProviderDecl {
        name: "db",
        scope: ::fastrs::decl::Scope::Request,
        waits: true,
    };
    fn __fastrs_pipeline() -> impl ::fastrs::pipeline::ProviderPipe<Output = Db> {
        ::fastrs::pipeline::provider_1(
            &__FASTRS_PROVIDER,
            ::fastrs::pipeline::argument::<
                Depends<Pool>,
                _,
                _,
            >(&__FASTRS_P0, ::core::option::Option::None),
            |(__fastrs_a0,): (Depends<Pool>,)| async move {
                ::fastrs::di::Provided::with_cleanup(
                    __fastrs_db::db::call(__fastrs_a0).await,
                )
            },
        )
    }
    impl ::fastrs::di::Dependency<__fastrs_db::db> for Db {
        type Provider = __fastrs_db::db;
    }
    impl ::fastrs::di::StaticProvider for __fastrs_db::db {
        fn instance() -> &'static Self {
            &__fastrs_db::db {}
        }
        fn instance_value() -> Self {
            __fastrs_db::db {}
        }
    }
    impl ::fastrs::di::Provider for __fastrs_db::db {
        type Output = Db;
        fn scope(&self) -> ::fastrs::decl::Scope {
            ::fastrs::decl::Scope::Request
        }
        fn info(&self) -> ::fastrs::decl::ProviderInfo {
            ::fastrs::pipeline::ProviderPipe::info(
                &__fastrs_pipeline(),
                ::core::any::TypeId::of::<Self>(),
            )
        }
        fn reads_at_once(&self) -> bool {
            ::fastrs::pipeline::ProviderPipe::reads_at_once(&__fastrs_pipeline())
        }
        fn provide<'a>(
            &'a self,
            __fastrs_cx: &'a mut ::fastrs::extract::RequestContext,
            __fastrs_errors: &'a mut ::fastrs::model::ValidationErrors,
        ) -> impl ::core::future::Future<
            Output = ::fastrs::di::Provided<Self::Output>,
        > + ::core::marker::Send + 'a {
            ::fastrs::pipeline::ProviderPipe::provide(
                __fastrs_pipeline(),
                __fastrs_cx,
                __fastrs_errors,
            )
        }
    }
};
