mod accounts;
mod staff;
