package com.example.service.order;

enum OrderStatus {

	PLACED, CANCELLED

}
