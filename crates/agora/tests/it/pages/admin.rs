//! The admin console shell: staff login, role-based menu and access.

use agora_testkit::TestApp;

use super::Web;

both_backends!(staff_login_and_role_menu, roles_guard_pages, customers_cannot_open_admin);

async fn create_staff(t: &TestApp, role: &str) -> String {
    let email = format!("{role}@staff.test");
    let input = agora_app::auth::NewStaff {
        email: email.clone(),
        password: "staff-password-1".into(),
        display_name: role.into(),
        role: role.into(),
    };
    agora_app::auth::create_staff(&t.app, &input, None).await.unwrap();
    email
}

async fn staff_web(t: &TestApp, role: &str) -> Web {
    let email = create_staff(t, role).await;
    let web = Web::new(t);
    let r = web.submit("/admin/login", "/admin/login", &[("email", &email), ("password", "staff-password-1")]).await;
    assert_eq!((r.status, r.location()), (303, "/admin"), "{}", r.html);
    web
}

async fn staff_login_and_role_menu(t: &TestApp) {
    let email = create_staff(t, "admin").await;
    let web = Web::new(t);
    let r = web.submit("/admin/login", "/admin/login", &[("email", &email), ("password", "nope-nope-nope")]).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.input_value("email").as_deref(), Some(email.as_str()));
    let r = web.submit("/admin/login", "/admin/login", &[("email", &email), ("password", "staff-password-1")]).await;
    assert_eq!(r.status, 303);
    let p = web.get("/admin").await;
    assert_eq!(p.status, 200, "{}", p.html);
    p.assert_secure_headers();
    for section in ["products", "inventory", "orders", "customers", "staff", "audit"] {
        assert!(p.html.contains(&format!("data-section=\"{section}\"")), "admin sees {section}");
    }
    let staff = web.get("/admin/staff").await;
    assert_eq!(staff.status, 200);
    assert!(staff.html.contains(&email));
    assert_eq!(web.get("/admin/no-such-section").await.status, 404);
    let support = staff_web(t, "support").await;
    let p = support.get("/admin").await;
    assert!(p.html.contains("data-section=\"orders\"") && p.html.contains("data-section=\"customers\""));
    for hidden in ["products", "inventory", "staff", "audit"] {
        assert!(!p.html.contains(&format!("data-section=\"{hidden}\"")), "support must not see {hidden}");
    }
    // Logout ends the staff session.
    let r = web.post_raw("/admin/logout", &[("_csrf", &web.get("/admin").await.csrf())]).await;
    assert_eq!((r.status, r.location()), (303, "/admin/login"));
    assert_eq!(web.get("/admin").await.location(), "/admin/login");
}

async fn roles_guard_pages(t: &TestApp) {
    // Each role may open exactly the sections Role::allows.
    let table = [
        ("admin", vec!["products", "inventory", "orders", "customers", "staff", "audit"]),
        ("operator", vec!["products", "inventory", "orders"]),
        ("support", vec!["orders", "customers"]),
        ("finance", vec!["orders", "customers"]),
    ];
    for (role, allowed) in table {
        let web = staff_web(t, role).await;
        for section in ["products", "inventory", "orders", "customers", "staff", "audit"] {
            let p = web.get(&format!("/admin/{section}")).await;
            let expected = if allowed.contains(&section) { 200 } else { 403 };
            assert_eq!(p.status, expected, "{role} on {section}");
            if expected == 403 {
                assert!(p.html.contains("You do not have permission"), "{}", p.html);
                p.assert_secure_headers();
            }
        }
    }
}

async fn customers_cannot_open_admin(t: &TestApp) {
    let web = Web::new(t);
    web.register("shopper@example.cn").await;
    for path in ["/admin", "/admin/staff", "/admin/orders"] {
        let p = web.get(path).await;
        assert_eq!((p.status, p.location()), (303, "/admin/login"), "{path}");
    }
    // A staff session is not a customer session either.
    let staff = staff_web(t, "admin").await;
    assert_eq!(staff.get("/account").await.location(), "/account/login");
}
