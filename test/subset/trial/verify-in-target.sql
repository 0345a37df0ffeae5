select 'customers', count(*) from customers union all
select 'orders', count(*) from orders union all
select 'order_lines', count(*) from order_lines union all
select 'invoices', count(*) from invoices union all
select 'payments', count(*) from payments union all
select 'events', count(*) from events union all
select 'contacts', count(*) from contacts union all
select 'addresses', count(*) from addresses union all
select 'comments', count(*) from comments union all
select 'product_variants', count(*) from product_variants union all
select 'products', count(*) from products union all
select 'employees', count(*) from employees union all
select 'employees_with_manager_kept', count(*) from employees where manager_id is not null union all
select 'suppliers', count(*) from suppliers union all
select 'categories', count(*) from categories union all
select 'countries', count(*) from countries union all
select 'audit_log', count(*) from audit_log union all
select 'shipments', count(*) from shipments union all
select 'x_customers_outside_1_2000', count(*) from customers where id not between 1 and 2000 union all
select 'x_orders_of_other_customers', count(*) from orders where customer_id not between 1 and 2000 union all
select 'x_fk_total', count(*) from pg_constraint where contype='f' and conrelid::regclass::text not like 'events_2%' union all
select 'x_fk_not_validated', count(*) from pg_constraint where contype='f' and not convalidated union all
select 'x_comments_order_dangling', count(*) from comments c where subject_type='order' and not exists (select 1 from orders o where o.id=c.subject_id) union all
select 'x_comments_product', count(*) from comments where subject_type='product' union all
select 'x_manager_dangling', count(*) from employees e where manager_id is not null and not exists (select 1 from employees m where m.id=e.manager_id) union all
select 'x_cycle_customers_with_contact', count(*) from customers c join contacts k on k.id=c.primary_contact_id and k.customer_id=c.id union all
select 'x_cycle_contact_null', count(*) from customers where primary_contact_id is null union all
select 'x_email_unmasked', count(*) from customers where email like 'c%@mail.example' union all
select 'x_events_partitions_nonempty', count(distinct tableoid) from events;
